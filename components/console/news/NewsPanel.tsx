// The news panel of the Overview: the organization's news items (admin/news/get-all, newest first), what
// Comet shows as the server's news. Fetched here through the registry so a page includes it with one line.
// "Remove" is offered only where admin/news/remove would do it: a top-level admin may remove any item it sees, a
// tenant admin only its own organization's.
import { getTranslations } from 'next-intl/server';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { NewsList, type NewsItem } from './NewsList';

type NewsEntries = Record<string, { OrganizationID: string; DateTime: number; TextContent: string }>;

export async function NewsPanel() {
  const t = await getTranslations('news');
  const [admin, entries] = await Promise.all([requireAdmin(), api<NewsEntries>('/api/v1/admin/news/get-all')]);
  const items: NewsItem[] = Object.entries(entries ?? {})
    .map(([id, e]) => ({ id, dateTime: e.DateTime, text: e.TextContent, organizationId: e.OrganizationID, canRemove: admin.isTopLevel || e.OrganizationID === admin.tenantId }))
    .sort((a, b) => b.dateTime - a.dateTime || a.id.localeCompare(b.id));
  return <NewsList items={items} title={t('title')} />;
}
