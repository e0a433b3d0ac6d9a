import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { PageHeader } from '../../../components/console/PageHeader';
import { NewPolicyDialog } from '../../../components/console/policies/NewPolicyDialog';
import { Badge } from '../../../components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '../../../components/ui/table';

export async function generateMetadata() {
  return { title: (await getTranslations('policies'))('title') };
}

type GroupPolicy = { Description: string; OrganizationID: string; DefaultUserPolicy: boolean; ModifiedDate: number };

export default async function PoliciesPage() {
  const admin = await requireAdmin();
  const t = await getTranslations('policies');
  const [policies, tenants] = await Promise.all([
    api<Record<string, GroupPolicy>>('/api/v1/admin/policies/list-full'),
    tenantOptions(admin, t('topLevelOrganization')),
  ]);
  const rows = Object.entries(policies ?? {}).sort(([, a], [, b]) => a.Description.localeCompare(b.Description));
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} actions={<NewPolicyDialog tenants={tenants} />} />
      <div className="rounded-lg border bg-card">
        <Table>
          <THead>
            <TR className="hover:bg-transparent">
              <TH>{t('name')}</TH>
              {tenants && <TH>{t('tenant')}</TH>}
              <TH>{t('default')}</TH>
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
            {rows.map(([id, p]) => (
              <TR key={id}>
                <TD>
                  <Link href={`/policies/${id}`} className="font-medium text-primary hover:underline">
                    {p.Description || id}
                  </Link>
                </TD>
                {tenants && <TD>{tenants.find((x) => x.id === p.OrganizationID)?.name ?? p.OrganizationID}</TD>}
                <TD>{p.DefaultUserPolicy && <Badge>{t('defaultBadge')}</Badge>}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
    </>
  );
}
