import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { tenantOptions } from '@/lib/adapters/console/tenant-options';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { TOP_LEVEL_TENANT_ID } from '../../../lib/tenancy/actor';
import { PageHeader } from '../../../components/console/PageHeader';
import { BackfillButton } from '../../../components/console/billing/BackfillButton';
import { BillingFilters } from '../../../components/console/billing/BillingFilters';
import { GROUPS, type UsageReport, type UsageRow } from '../../../components/console/billing/types';
import { UsageChart } from '../../../components/console/billing/UsageChart';
import { formatBytes } from '../../../components/console/format';
import { Button } from '../../../components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../../components/ui/card';
import { Table, TBody, TD, TH, THead, TR } from '../../../components/ui/table';
import { rangeFromQuery } from './range';

export async function generateMetadata() {
  return { title: (await getTranslations('billing'))('title') };
}

const PAGE = 200;

export default async function BillingPage({ searchParams }: { searchParams: Promise<{ from?: string; to?: string; group?: string; org?: string; page?: string }> }) {
  const admin = await requireAdmin();
  const t = await getTranslations('billing');
  const sp = await searchParams;
  const range = rangeFromQuery(sp.from ?? '', sp.to ?? '');
  const group: (typeof GROUPS)[number] = (GROUPS as readonly string[]).includes(sp.group ?? '') ? (sp.group as (typeof GROUPS)[number]) : admin.isTopLevel ? 'tenant' : 'user';
  const page = Math.max(0, Number.parseInt(sp.page ?? '0', 10) || 0);
  const org = admin.isTopLevel ? (sp.org ?? '') : '';
  const common = { Start: range.start, End: range.end, TargetOrganization: org || undefined };
  const [report, daily, tenants] = await Promise.all([
    api<UsageReport>('/api/v1/admin/billing/usage', { ...common, GroupBy: group, Offset: page * PAGE, Limit: PAGE }),
    api<UsageReport>('/api/v1/admin/billing/usage', { ...common, GroupBy: 'day', Limit: 1000 }),
    tenantOptions(admin, t('topLevelOrganization')),
  ]);
  const orgChoices = tenants?.map((o) => ({ id: o.id || TOP_LEVEL_TENANT_ID, name: o.name })) ?? null;
  const format = await getFormatter();
  const locale = await getLocale();
  const money = (n: number) => format.number(n, { style: 'currency', currency: report.Currency });
  const num = (n: number) => format.number(n, { maximumFractionDigits: 2 });
  const label = (r: UsageRow) =>
    group === 'tenant' ? r.OrganizationName || r.OrganizationID : group === 'user' ? r.Username : group === 'device' ? `${r.Username} / ${r.DeviceName || r.DeviceID}` : r.Key;
  const totals = report.Totals;
  const boosterMonths = (r: UsageRow) => Object.values(r.BoosterUsage).reduce((s, b) => s + b.Months, 0);
  const query = (p: number) => `/billing?${new URLSearchParams({ from: range.from, to: range.to, group, org, page: String(p) })}`;
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <div className="flex items-center gap-2">
            <BackfillButton days={Math.min(400, Math.ceil((Date.now() / 1000 - range.start) / 86_400))} org={org} />
            <Button asChild variant="outline">
              <Link href={`/billing/prices${org ? `?org=${encodeURIComponent(org)}` : ''}`}>{t('priceList')}</Link>
            </Button>
          </div>
        }
      />
      <BillingFilters query={{ from: range.from, to: range.to, group, org }} tenants={orgChoices} />
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="billing-totals">
        {[
          [t('totals.devices'), String(totals.Devices), t('totals.deviceMonths', { n: num(totals.DeviceMonths) })],
          [t('totals.boosters'), String(totals.Boosters), t('totals.boosterMonths', { n: num(boosterMonths(totals)) })],
          [t('totals.storage'), formatBytes(totals.StorageBytes, locale), t('totals.gbMonths', { n: num(totals.GBMonths) })],
          [t('totals.amount'), money(totals.Amount), t('totals.days', { n: report.Days })],
        ].map(([title, value, hint]) => (
          <Card key={title}>
            <CardHeader>
              <CardDescription>{title}</CardDescription>
              <CardTitle className="text-2xl">{value}</CardTitle>
            </CardHeader>
            <CardContent className="text-xs text-muted-foreground">{hint}</CardContent>
          </Card>
        ))}
      </div>
      <UsageChart points={daily.Rows.map((r) => ({ day: r.Key, devices: r.Devices, configured: r.ConfiguredDevices, boosters: r.Boosters, bytes: r.StorageBytes }))} />
      <div className="rounded-lg border bg-card">
        <Table data-testid="billing-rows">
          <THead>
            <TR className="hover:bg-transparent">
              <TH>{t(`groups.${group}`)}</TH>
              <TH className="text-end">{t('columns.devices')}</TH>
              <TH className="text-end">{t('columns.boosters')}</TH>
              <TH className="text-end">{t('columns.deviceMonths')}</TH>
              <TH className="text-end">{t('columns.boosterMonths')}</TH>
              <TH className="text-end">{t('columns.gbMonths')}</TH>
              <TH className="text-end">{t('columns.amount')}</TH>
            </TR>
          </THead>
          <TBody>
            {report.Rows.length === 0 && (
              <TR>
                <TD colSpan={7} className="py-10 text-center text-muted-foreground">
                  {t('empty')}
                </TD>
              </TR>
            )}
            {report.Rows.map((r) => (
              <TR key={r.Key}>
                <TD className="font-medium">{label(r)}</TD>
                <TD className="text-end tabular-nums">{r.Devices}</TD>
                <TD className="text-end tabular-nums">{r.Boosters}</TD>
                <TD className="text-end tabular-nums">{num(r.DeviceMonths)}</TD>
                <TD className="text-end tabular-nums">{num(boosterMonths(r))}</TD>
                <TD className="text-end tabular-nums">{num(r.GBMonths)}</TD>
                <TD className="text-end tabular-nums">{money(r.Amount)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
      {report.TotalRows > PAGE && (
        <div className="mt-4 flex items-center justify-end gap-2 text-sm">
          <span className="text-muted-foreground">{t('pageOf', { page: page + 1, pages: Math.ceil(report.TotalRows / PAGE) })}</span>
          {page > 0 && (
            <Button asChild variant="outline" size="sm">
              <Link href={query(page - 1)}>{t('previous')}</Link>
            </Button>
          )}
          {(page + 1) * PAGE < report.TotalRows && (
            <Button asChild variant="outline" size="sm">
              <Link href={query(page + 1)}>{t('next')}</Link>
            </Button>
          )}
        </div>
      )}
    </>
  );
}
