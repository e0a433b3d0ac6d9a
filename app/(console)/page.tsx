import { AlertTriangle, Building2, CalendarX2, HardDrive, KeyRound, MonitorSmartphone, MonitorX, PackageCheck, ShieldCheck, Users, XCircle } from 'lucide-react';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import type { THalleyOverview } from '../../lib/overview/get-overview';
import type { UserRow } from '../../lib/desk/list-users-page';
import { PageHeader } from '../../components/console/PageHeader';
import { NewsPanel } from '../../components/console/news/NewsPanel';
import { formatBytes as formatBytesIn, formatBytesChange, ltrIn } from '../../components/console/format';
import { JobOutcomeChart } from '../../components/console/overview/JobOutcomeChart';
import { StorageChart } from '../../components/console/overview/StorageChart';
import { jobSearchHref, type JobOutcome } from '../../components/console/overview/job-links';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card';
import { cn } from '../../components/ui/cn';
import { Table, TBody, TD, TH, THead, TR } from '../../components/ui/table';

export async function generateMetadata() {
  return { title: (await getTranslations('overview'))('title') };
}

const DAY = 86_400;
const WEEK = 7 * DAY;

/** A figure that needs attention when it is above zero: red (or amber) then, calm otherwise. */
function Figure({ value, tone, testId }: { value: number; tone: 'bad' | 'warn'; testId: string }) {
  return (
    <span data-testid={testId} className={cn('tabular-nums', value > 0 ? (tone === 'bad' ? 'text-destructive' : 'text-[oklch(0.5_0.13_75)]') : 'text-muted-foreground')}>
      {value}
    </span>
  );
}

function AttentionCard({ title, icon: Icon, children, testId }: { title: string; icon: typeof Users; children: ReactNode; testId: string }) {
  return (
    <Card data-testid={testId}>
      <CardHeader className="flex-row items-center justify-between pb-2">
        <CardDescription>{title}</CardDescription>
        <Icon className="size-4 text-muted-foreground" aria-hidden="true" />
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

export default async function OverviewPage() {
  const admin = await requireAdmin();
  const t = await getTranslations('overview');
  const format = await getFormatter();
  const locale = await getLocale();
  // Sizes in the admin's language (decimal mark; isolated left to right in Hebrew).
  const formatBytes = (n: number) => formatBytesIn(n, locale);
  const [overview, users, policies, version] = await Promise.all([
    api<THalleyOverview>('/api/v1/admin/halley/overview'),
    api<{ Users: UserRow[]; TotalCount: number }>('/api/v1/admin/list-users-page', { Limit: 5, SortBy: 'CreateTime', SortDesc: true }),
    api<Record<string, string>>('/api/v1/admin/policies/list'),
    api<{ Version: string; VersionCodename: string; ConfiguredDevices: number }>('/api/v1/admin/meta/version'),
  ]);
  const T = overview.Totals;
  const orgName = new Map(overview.Organizations.map((o) => [o.OrganizationID, o.Name]));
  const manyOrgs = admin.isTopLevel && overview.Organizations.length > 1;
  const when = (unix: number) => (unix > 0 ? format.relativeTime(new Date(unix * 1000), new Date(overview.GeneratedAt * 1000)) : t('never'));
  const jobCard = (outcome: JobOutcome, icon: typeof Users, tone: 'bad' | 'warn') => (
    <AttentionCard key={outcome} testId={`card-${outcome}`} title={t(`jobs.${outcome}`)} icon={icon}>
      <div className="flex items-baseline gap-4">
        <Link href={jobSearchHref(outcome, DAY)} className="group" data-testid={`link-${outcome}-24h`}>
          <span className="text-3xl font-semibold group-hover:underline">
            <Figure value={T.Jobs24h[cap(outcome)]} tone={tone} testId={`${outcome}-24h`} />
          </span>
          <span className="ms-1 text-xs text-muted-foreground">{t('last24h')}</span>
        </Link>
        <Link href={jobSearchHref(outcome, WEEK)} className="group" data-testid={`link-${outcome}-7d`}>
          <span className="text-lg font-medium group-hover:underline">
            <Figure value={T.Jobs7d[cap(outcome)]} tone={tone} testId={`${outcome}-7d`} />
          </span>
          <span className="ms-1 text-xs text-muted-foreground">{t('last7d')}</span>
        </Link>
      </div>
    </AttentionCard>
  );
  type StatKey = 'users' | 'devices' | 'policies' | 'tenants';
  const stats: Array<{ key: StatKey; value: number; icon: typeof Users; href: string }> = [
    { key: 'users', value: users.TotalCount, icon: Users, href: '/users' },
    { key: 'devices', value: T.Devices, icon: MonitorSmartphone, href: '/devices' },
    { key: 'policies', value: Object.keys(policies ?? {}).length, icon: ShieldCheck, href: '/policies' },
    ...(admin.isTopLevel ? [{ key: 'tenants' as const, value: overview.Organizations.length, icon: Building2, href: '/tenants' }] : []),
  ];
  return (
    <>
      <PageHeader title={t('title')} description={t('welcome', { username: admin.username })} />
      <section aria-label={t('attention')} className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {jobCard('failed', XCircle, 'bad')}
        {jobCard('warning', AlertTriangle, 'warn')}
        {jobCard('missed', CalendarX2, 'warn')}
        <AttentionCard testId="card-offline" title={t('offline.title', { days: overview.OfflineDays })} icon={MonitorX}>
          <Link href="/devices?status=offline" className="group">
            <span className="text-3xl font-semibold group-hover:underline">
              <Figure value={T.DevicesOffline} tone="warn" testId="offline-count" />
            </span>
            <span className="ms-1 text-xs text-muted-foreground">{t('ofDevices', { count: T.Devices })}</span>
          </Link>
        </AttentionCard>
        <AttentionCard testId="card-outdated" title={t('outdated.title')} icon={PackageCheck}>
          <Link href="/campaigns" className="group">
            <span className="text-3xl font-semibold group-hover:underline">
              <Figure value={T.DevicesOutdated} tone="warn" testId="outdated-count" />
            </span>
            <span className="ms-1 text-xs text-muted-foreground">{t('outdated.current', { version: ltrIn(overview.ClientVersion, locale) })}</span>
          </Link>
        </AttentionCard>
        <AttentionCard testId="card-storage" title={t('storage.title')} icon={HardDrive}>
          <p className="text-3xl font-semibold tabular-nums" data-testid="storage-used">
            {formatBytes(T.StorageBytes)}
          </p>
          <p className="text-xs text-muted-foreground" data-testid="storage-growth">
            {t('storage.growth', { change: formatBytesChange(T.StorageGrowth7d, locale) })}
          </p>
        </AttentionCard>
        <AttentionCard testId="card-quota" title={t('quota.title')} icon={Users}>
          <p className="flex items-baseline gap-4">
            <span>
              <span className="text-3xl font-semibold">
                <Figure value={T.UsersOverQuota} tone="bad" testId="quota-over" />
              </span>
              <span className="ms-1 text-xs text-muted-foreground">{t('quota.over')}</span>
            </span>
            <span>
              <span className="text-lg font-medium">
                <Figure value={T.UsersNearQuota} tone="warn" testId="quota-near" />
              </span>
              <span className="ms-1 text-xs text-muted-foreground">{t('quota.near', { percent: Math.round(overview.NearQuotaRatio * 100) })}</span>
            </span>
          </p>
        </AttentionCard>
        <AttentionCard testId="card-signin" title={t('signIn.title')} icon={KeyRound}>
          <p className="flex items-baseline gap-4">
            <span>
              <span className="text-3xl font-semibold">
                <Figure value={T.SignInFailures24h} tone="warn" testId="signin-24h" />
              </span>
              <span className="ms-1 text-xs text-muted-foreground">{t('last24h')}</span>
            </span>
            <span>
              <span className="text-lg font-medium">
                <Figure value={T.SignInFailures7d} tone="warn" testId="signin-7d" />
              </span>
              <span className="ms-1 text-xs text-muted-foreground">{t('last7d')}</span>
            </span>
          </p>
        </AttentionCard>
      </section>

      <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t('charts.jobsTitle')}</CardTitle>
            <CardDescription>{t('charts.jobsDescription')}</CardDescription>
          </CardHeader>
          <CardContent>
            <JobOutcomeChart days={overview.JobsByDay} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('charts.storageTitle')}</CardTitle>
            <CardDescription>{t('charts.storageDescription')}</CardDescription>
          </CardHeader>
          <CardContent>
            <StorageChart days={overview.StorageByDay} />
          </CardContent>
        </Card>
      </div>

      {manyOrgs && (
        <Card className="mt-6" data-testid="per-tenant">
          <CardHeader>
            <CardTitle>{t('perTenant.title')}</CardTitle>
            <CardDescription>{t('perTenant.description')}</CardDescription>
          </CardHeader>
          <CardContent className="overflow-x-auto">
            <Table>
              <THead>
                <TR>
                  <TH>{t('perTenant.tenant')}</TH>
                  <TH className="text-end whitespace-normal">{t('perTenant.failed24h')}</TH>
                  <TH className="text-end whitespace-normal">{t('perTenant.failed7d')}</TH>
                  <TH className="text-end whitespace-normal">{t('perTenant.warning7d')}</TH>
                  <TH className="text-end whitespace-normal">{t('perTenant.missed7d')}</TH>
                  <TH className="text-end whitespace-normal">{t('perTenant.offline')}</TH>
                  <TH className="text-end whitespace-normal">{t('perTenant.outdated')}</TH>
                  <TH className="text-end whitespace-normal">{t('perTenant.storage')}</TH>
                  <TH className="text-end whitespace-normal">{t('perTenant.quota')}</TH>
                  <TH className="text-end whitespace-normal">{t('perTenant.signIn')}</TH>
                </TR>
              </THead>
              <TBody>
                {overview.Organizations.map((o) => (
                  <TR key={o.OrganizationID || 'top'} data-testid={`tenant-row-${o.OrganizationID || 'top'}`}>
                    <TD className="max-w-56 truncate font-medium" title={o.Name}>
                      {o.Name}
                    </TD>
                    <TD className="text-end">
                      <Link href={jobSearchHref('failed', DAY, o.OrganizationID)} className="hover:underline">
                        <Figure value={o.Jobs24h.Failed} tone="bad" testId={`tenant-failed-24h-${o.OrganizationID || 'top'}`} />
                      </Link>
                    </TD>
                    <TD className="text-end">
                      <Link href={jobSearchHref('failed', WEEK, o.OrganizationID)} className="hover:underline">
                        <Figure value={o.Jobs7d.Failed} tone="bad" testId={`tenant-failed-7d-${o.OrganizationID || 'top'}`} />
                      </Link>
                    </TD>
                    <TD className="text-end">
                      <Link href={jobSearchHref('warning', WEEK, o.OrganizationID)} className="hover:underline">
                        <Figure value={o.Jobs7d.Warning} tone="warn" testId={`tenant-warning-7d-${o.OrganizationID || 'top'}`} />
                      </Link>
                    </TD>
                    <TD className="text-end">
                      <Link href={jobSearchHref('missed', WEEK, o.OrganizationID)} className="hover:underline">
                        <Figure value={o.Jobs7d.Missed} tone="warn" testId={`tenant-missed-7d-${o.OrganizationID || 'top'}`} />
                      </Link>
                    </TD>
                    <TD className="text-end">
                      <Figure value={o.DevicesOffline} tone="warn" testId={`tenant-offline-${o.OrganizationID || 'top'}`} />
                      <span className="text-muted-foreground"> / {o.Devices}</span>
                    </TD>
                    <TD className="text-end">
                      <Figure value={o.DevicesOutdated} tone="warn" testId={`tenant-outdated-${o.OrganizationID || 'top'}`} />
                    </TD>
                    <TD className="text-end whitespace-nowrap tabular-nums">
                      {formatBytes(o.StorageBytes)}
                      <span className="ms-1 text-xs text-muted-foreground">{formatBytesChange(o.StorageGrowth7d, locale)}</span>
                    </TD>
                    <TD className="text-end">
                      <Figure value={o.UsersOverQuota} tone="bad" testId={`tenant-quota-over-${o.OrganizationID || 'top'}`} />
                      <span className="text-muted-foreground"> / </span>
                      <Figure value={o.UsersNearQuota} tone="warn" testId={`tenant-quota-near-${o.OrganizationID || 'top'}`} />
                    </TD>
                    <TD className="text-end">
                      <Figure value={o.SignInFailures24h} tone="warn" testId={`tenant-signin-${o.OrganizationID || 'top'}`} />
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </CardContent>
        </Card>
      )}

      <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card data-testid="list-offline">
          <CardHeader>
            <CardTitle>{t('offline.listTitle', { days: overview.OfflineDays })}</CardTitle>
          </CardHeader>
          <CardContent>
            {overview.OfflineDevices.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t('offline.none')}</p>
            ) : (
              <ul className="divide-y text-sm">
                {overview.OfflineDevices.map((d) => (
                  <li key={`${d.Username}/${d.DeviceID}`} className="flex items-center justify-between gap-3 py-1.5">
                    <span className="min-w-0 truncate" title={`${d.FriendlyName || d.DeviceID} · ${d.Username}`}>
                      <Link href={`/users/${encodeURIComponent(d.Username)}`} className="font-medium hover:underline">
                        {d.FriendlyName || d.DeviceID}
                      </Link>
                      <span className="text-muted-foreground"> · {d.Username}</span>
                      {manyOrgs && <span className="text-muted-foreground"> · {orgName.get(d.OrganizationID)}</span>}
                    </span>
                    <span className="shrink-0 whitespace-nowrap text-muted-foreground">{t('offline.lastSeen', { when: when(d.LastSeen) })}</span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card data-testid="list-quota">
          <CardHeader>
            <CardTitle>{t('quota.listTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            {overview.QuotaUsers.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t('quota.none')}</p>
            ) : (
              <ul className="divide-y text-sm">
                {overview.QuotaUsers.map((u) => {
                  const ratio = u.QuotaBytes > 0 ? u.UsedBytes / u.QuotaBytes : 0;
                  return (
                    <li key={u.Username} className="flex items-center justify-between gap-3 py-1.5">
                      <span className="min-w-0 truncate" title={u.Username}>
                        <Link href={`/users/${encodeURIComponent(u.Username)}`} className="font-medium hover:underline">
                          {u.Username}
                        </Link>
                        {manyOrgs && <span className="text-muted-foreground"> · {orgName.get(u.OrganizationID)}</span>}
                      </span>
                      <span className={cn('shrink-0 whitespace-nowrap tabular-nums', ratio >= 1 ? 'text-destructive' : 'text-[oklch(0.5_0.13_75)]')}>
                        {t('quota.usage', { used: formatBytes(u.UsedBytes), quota: formatBytes(u.QuotaBytes), percent: Math.round(ratio * 100) })}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card data-testid="list-signin">
          <CardHeader>
            <CardTitle>{t('signIn.listTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            {overview.SignInFailures.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t('signIn.none')}</p>
            ) : (
              <ul className="divide-y text-sm">
                {overview.SignInFailures.map((f, i) => (
                  <li key={`${f.Time}-${i}`} className="flex items-center justify-between gap-3 py-1.5">
                    <span className="min-w-0 truncate" title={f.Username}>
                      <span className="font-medium">{f.Username}</span>
                      <span className="text-muted-foreground">
                        {' '}
                        · {f.Admin ? t('signIn.admin') : t('signIn.user')} · {f.RemoteAddress}
                      </span>
                      {manyOrgs && <span className="text-muted-foreground"> · {orgName.get(f.OrganizationID)}</span>}
                    </span>
                    <span className="shrink-0 whitespace-nowrap text-muted-foreground">{when(f.Time)}</span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card data-testid="list-outdated">
          <CardHeader>
            <CardTitle>{t('outdated.listTitle')}</CardTitle>
            <CardDescription>{t('outdated.current', { version: ltrIn(overview.ClientVersion, locale) })}</CardDescription>
          </CardHeader>
          <CardContent>
            {overview.OutdatedVersions.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t('outdated.none')}</p>
            ) : (
              <ul className="divide-y text-sm">
                {overview.OutdatedVersions.map((v) => (
                  <li key={v.Version} className="flex items-center justify-between py-1.5">
                    <span className="font-mono" dir="ltr">{v.Version}</span>
                    <span className="text-muted-foreground">{t('outdated.devices', { count: v.Devices })}</span>
                  </li>
                ))}
              </ul>
            )}
            {overview.OutdatedVersions.length > 0 && (
              <Link href="/campaigns" className="mt-2 inline-block text-sm text-primary hover:underline">
                {t('outdated.campaign')}
              </Link>
            )}
          </CardContent>
        </Card>
      </div>

      <div className="mt-6 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {stats.map((s) => (
          <Link key={s.key} href={s.href}>
            <Card className="transition-colors hover:border-primary/40">
              <CardHeader className="flex-row items-center justify-between pb-2">
                <CardDescription>{t(`stats.${s.key}`)}</CardDescription>
                <s.icon className="size-4 text-muted-foreground" aria-hidden="true" />
              </CardHeader>
              <CardContent>
                <p className="text-3xl font-semibold tabular-nums" data-testid={`stat-${s.key}`}>
                  {s.value}
                </p>
              </CardContent>
            </Card>
          </Link>
        ))}
      </div>
      <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>{t('recentUsers')}</CardTitle>
          </CardHeader>
          <CardContent>
            {users.Users.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                {t('noUsers')}{' '}
                <Link className="text-primary hover:underline" href="/users?new=1">
                  {t('addUser')}
                </Link>
              </p>
            ) : (
              <ul className="divide-y">
                {users.Users.map((u) => (
                  <li key={u.Username} className="flex items-center justify-between py-2 text-sm">
                    <Link href={`/users/${encodeURIComponent(u.Username)}`} className="font-medium hover:underline">
                      {u.Username}
                    </Link>
                    <span className="flex items-center gap-3 text-muted-foreground">
                      <HardDrive className="size-3.5" aria-hidden="true" />
                      {t('vaultCount', { count: u.StorageVaults })}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('serverTitle')}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-2 text-sm">
            <p>{version.VersionCodename}</p>
            <p className="text-muted-foreground">{t('cometVersion', { version: version.Version })}</p>
            <p className="text-muted-foreground">{t('apiHint')}</p>
            <a className="text-primary hover:underline" href="/api/v1/openapi.json">
              {t('openapi')}
            </a>
          </CardContent>
        </Card>
      </div>
      <NewsPanel />
    </>
  );
}

function cap(o: JobOutcome): 'Failed' | 'Warning' | 'Missed' {
  return o === 'failed' ? 'Failed' : o === 'warning' ? 'Warning' : 'Missed';
}
