import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { PageHeader } from '../../../components/console/PageHeader';
import { NewTenantDialog } from '../../../components/console/tenants/NewTenantDialog';
import { Badge } from '../../../components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '../../../components/ui/table';

export async function generateMetadata() {
  return { title: (await getTranslations('tenants'))('title') };
}

type Org = { Name: string; Hosts: string[] | null; IsSuspended: boolean; Branding?: { BrandName?: string } };

export default async function TenantsPage() {
  const admin = await requireAdmin();
  if (!admin.isTopLevel) notFound();
  const t = await getTranslations('tenants');
  const orgs = await api<Record<string, Org>>('/api/v1/admin/organization/list');
  const rows = Object.entries(orgs).sort(([, a], [, b]) => a.Name.localeCompare(b.Name));
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} actions={<NewTenantDialog />} />
      <div className="rounded-lg border bg-card">
        <Table>
          <THead>
            <TR className="hover:bg-transparent">
              <TH>{t('name')}</TH>
              <TH>{t('hosts')}</TH>
              <TH>{t('brand')}</TH>
              <TH>{t('status')}</TH>
            </TR>
          </THead>
          <TBody>
            {rows.length === 0 && (
              <TR>
                <TD colSpan={4} className="py-10 text-center text-muted-foreground">
                  {t('empty')}
                </TD>
              </TR>
            )}
            {rows.map(([id, o]) => (
              <TR key={id}>
                <TD>
                  <Link href={`/tenants/${id}`} className="font-medium text-primary hover:underline">
                    {o.Name}
                  </Link>
                </TD>
                <TD className="text-muted-foreground">{(o.Hosts ?? []).join(', ') || '—'}</TD>
                <TD>{o.Branding?.BrandName || '—'}</TD>
                <TD>{o.IsSuspended ? <Badge variant="warning">{t('suspended')}</Badge> : <Badge variant="success">{t('active')}</Badge>}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
    </>
  );
}
