import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NotFoundError } from '../../../../lib/errors';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import type { UserRow } from '../../../../lib/desk/list-users-page';
import { PageHeader } from '../../../../components/console/PageHeader';
import { PolicyEditor, type GroupPolicy } from '../../../../components/console/policies/PolicyEditor';

export default async function PolicyPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const t = await getTranslations('policies');
  let data: { Policy: GroupPolicy; PolicyHash: string };
  try {
    data = await api('/api/v1/admin/policies/get', { PolicyID: id });
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
  const users = await api<{ Users: UserRow[]; TotalCount: number }>('/api/v1/admin/list-users-page', { PolicyID: id, Limit: 100 });
  return (
    <>
      <nav className="mb-2 text-sm text-muted-foreground">
        <Link href="/policies" className="hover:underline">
          {t('title')}
        </Link>{' '}
        / {data.Policy.Description || id}
      </nav>
      <PageHeader title={data.Policy.Description || id} description={t('editDescription')} />
      <PolicyEditor id={id} policy={data.Policy} hash={data.PolicyHash} users={users.Users.map((u) => u.Username)} userCount={users.TotalCount} />
    </>
  );
}
