// Settings → Server: where the other parts of the server configuration are edited (each has its own page and
// endpoints; server-config/set applies them through the same code).
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { SETTINGS_TAB_HREF, type SettingsTab } from '@/lib/adapters/console/settings-tabs';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';

const PARTS: { tab: SettingsTab; key: 'security' | 'email' | 'integrations' | 'branding' | 'constellation' | 'selfBackup' | 'storage' }[] = [
  { tab: 'security', key: 'security' },
  { tab: 'email', key: 'email' },
  { tab: 'integrations', key: 'integrations' },
  { tab: 'branding', key: 'branding' },
  { tab: 'constellation', key: 'constellation' },
  { tab: 'self-backup', key: 'selfBackup' },
  { tab: 'storage', key: 'storage' },
];

export async function ServerConfigLinks({ tabs }: { tabs: SettingsTab[] }) {
  const t = await getTranslations('serverOps.config.elsewhere');
  const visible = PARTS.filter((p) => tabs.includes(p.tab));
  if (!visible.length) return null;
  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <ul className="grid gap-2 text-sm" data-testid="server-config-links">
          {visible.map((p) => (
            <li key={p.tab}>
              <Link className="font-medium underline underline-offset-4" href={SETTINGS_TAB_HREF[p.tab]}>
                {t(`${p.key}.link`)}
              </Link>
              <span className="text-muted-foreground"> — {t(`${p.key}.what`)}</span>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}
