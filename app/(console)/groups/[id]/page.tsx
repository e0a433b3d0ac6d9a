import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { NotFoundError } from '../../../../lib/errors';
import { PageHeader } from '../../../../components/console/PageHeader';
import { GroupEditor } from '../../../../components/console/groups/GroupEditor';

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const id = decodeURIComponent((await params).id);
  const t = await getTranslations('groups');
  let group: { UserGroup: { Name: string }; Users: Record<string, unknown> };
  try {
    group = await api('/api/v1/admin/user-groups/get', { GroupID: id, IncludeUsers: true });
  } catch (err) {
    // A group of another tenant answers exactly like a missing one.
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
  return (
    <>
      <PageHeader title={group.UserGroup.Name} description={t('editor.description')} />
      <GroupEditor id={id} name={group.UserGroup.Name} users={Object.keys(group.Users).sort()} />
    </>
  );
}
