import { getTranslations } from 'next-intl/server';
import type { ConsolePreferences } from '../../../lib/admins/console-preferences';
import { api, requireAdmin } from '../../../lib/console/session';
import { readTableState } from '../../../lib/console/table-state';
import { USER_SORT_FIELDS, type UserRow } from '../../../lib/users/list-users-page';
import { AddUserDialog } from '../../../components/console/users/AddUserDialog';
import { USER_COLUMNS, USER_DEFAULT_COLUMNS } from '../../../components/console/users/columns';
import { UsersTable } from '../../../components/console/users/UsersTable';
import { PageHeader } from '../../../components/console/PageHeader';

export async function generateMetadata() {
  return { title: (await getTranslations('users'))('title') };
}

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin();
  const t = await getTranslations('users');
  const [sp, prefs, policies] = await Promise.all([
    searchParams,
    api<ConsolePreferences>('/api/v1/admin/account/console-preferences/get'),
    api<Record<string, string>>('/api/v1/admin/policies/list'),
  ]);
  const columns = USER_COLUMNS.filter((c) => admin.isTopLevel || c !== 'Organization');
  const state = readTableState(sp, {
    sort: 'Username',
    sortable: USER_SORT_FIELDS,
    columns,
    defaultColumns: USER_DEFAULT_COLUMNS.filter((c) => columns.includes(c)),
    size: prefs.PageSize,
    savedColumns: prefs.TableColumns?.users?.Columns,
  });
  const page = await api<{ Users: UserRow[]; TotalCount: number }>('/api/v1/admin/list-users-page', {
    Query: state.q,
    SortBy: state.sort,
    SortDesc: state.desc,
    Offset: (state.page - 1) * state.size,
    Limit: state.size,
  });
  const tenants = admin.isTopLevel ? await api<Record<string, { Name: string }>>('/api/v1/admin/organization/list') : null;
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={<AddUserDialog tenants={tenants ? [{ id: '', name: t('topLevelOrganization') }, ...Object.entries(tenants).map(([id, o]) => ({ id, name: o.Name }))] : null} openInitially={sp.new === '1'} />}
      />
      <UsersTable rows={page.Users} total={page.TotalCount} state={state} columns={columns} policies={policies ?? {}} />
    </>
  );
}
