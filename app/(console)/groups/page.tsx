import { getFormatter, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { PageHeader } from '../../../components/console/PageHeader';
import { NewGroupDialog } from '../../../components/console/groups/NewGroupDialog';
import { Table, TBody, TD, TH, THead, TR } from '../../../components/ui/table';

export async function generateMetadata() {
  return { title: (await getTranslations('groups'))('title') };
}

type UserGroup = { Name: string; OrganizationID: string; CreatedAt: number };

export default async function GroupsPage() {
  const admin = await requireAdmin();
  const t = await getTranslations('groups');
  const format = await getFormatter();
  const [groups, tenants] = await Promise.all([api<Record<string, UserGroup>>('/api/v1/admin/user-groups/list-full'), tenantOptions(admin, t('topLevelOrganization'))]);
  const rows = Object.entries(groups ?? {});
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} actions={<NewGroupDialog tenants={tenants} />} />
      <div className="rounded-lg border bg-card">
        <Table>
          <THead>
            <TR className="hover:bg-transparent">
              <TH>{t('name')}</TH>
              {tenants && <TH>{t('tenant')}</TH>}
              <TH>{t('created')}</TH>
            </TR>
          </THead>
          <TBody>
            {rows.length === 0 && (
              <TR>
                <TD colSpan={3} className="py-10 text-center text-muted-foreground">
                  {t('empty')}
                </TD>
              </TR>
            )}
            {rows.map(([id, g]) => (
              <TR key={id}>
                <TD>
                  <Link href={`/groups/${id}`} className="font-medium text-primary hover:underline">
                    {g.Name}
                  </Link>
                </TD>
                {tenants && <TD>{tenants.find((x) => x.id === g.OrganizationID)?.name ?? g.OrganizationID}</TD>}
                <TD>{format.dateTime(new Date(g.CreatedAt * 1000), { dateStyle: 'medium' })}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
    </>
  );
}
