import { getTranslations } from 'next-intl/server';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { api, requireAdmin, consolePreferences } from '@/lib/adapters/console/session';
import { readTableState } from '@/lib/adapters/console/table-state';
import { USER_SORT_FIELDS, type UserRow } from '../../../lib/desk/list-users-page';
import { AddUserDialog } from '../../../components/console/users/AddUserDialog';
import { UsersAdvancedMenu } from '../../../components/console/users/UsersAdvancedMenu';
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
    consolePreferences(),
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
  const tenants = await tenantOptions(admin, t('topLevelOrganization'));
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <div className="flex gap-2">
            <UsersAdvancedMenu />
            <AddUserDialog tenants={tenants} openInitially={sp.new === '1'} />
          </div>
        }
      />
      <UsersTable rows={page.Users} total={page.TotalCount} state={state} columns={columns} policies={policies ?? {}} density={prefs.Density ?? 'compact'} renderedAt={Date.now()} />
    </>
  );
}
