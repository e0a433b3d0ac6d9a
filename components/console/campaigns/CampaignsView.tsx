'use client';
// The Bulk upgrade page: the campaign being viewed (the current one unless ?campaign= names an older one)
// with its live uptake and per-status counts, pause / resume / abort / stop, its devices (filter by status
// or text, paged), the start form and the history. The page re-reads itself every few seconds while the
// viewed campaign is active.
import { Pause, Play, Plus, RefreshCw, Search, Square, XCircle } from 'lucide-react';
import { useFormatter, useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import type { TenantOption } from '@/lib/adapters/console/tenant-options';
import type { TCampaignSummary } from '@/lib/campaigns/campaign-summary';
import type { TCampaignDevicePage } from '@/lib/campaigns/list-campaign-devices';
import { changeCampaign, stopCampaign } from '../../../app/(console)/campaigns/actions';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import type { FieldInfo } from '../jobs/QueryBuilder';
import { useApiAction } from '../use-api-action';
import { useUrlSearch } from '../use-url-search';
import { StartCampaignForm } from './StartCampaignForm';

const REFRESH_MS = 3000;
/** UPDATESTATUS_ codes, in the order a device goes through them. */
const STATUSES = [
  { code: 0, key: 'notSeen', variant: 'secondary' },
  { code: 1, key: 'ineligible', variant: 'outline' },
  { code: 2, key: 'pending', variant: 'warning' },
  { code: 3, key: 'requestMade', variant: 'default' },
  { code: 5, key: 'confirmed', variant: 'success' },
  { code: 4, key: 'failed', variant: 'destructive' },
] as const;
const COUNT_KEY = { 0: 'NotSeen', 1: 'Ineligible', 2: 'Pending', 3: 'RequestMade', 4: 'Failed', 5: 'Confirmed' } as const;
const FLAG_KEYS = ['UpgradeOlder', 'ReinstallCurrentVer', 'DowngradeNewer', 'ForceUpgradeRunning', 'ApplyDeviceFilter'] as const;
const STATE_VARIANT = { running: 'success', paused: 'warning', finished: 'secondary', aborted: 'destructive' } as const;

type Filter = { campaign: string; status?: number; q: string; offset: number };

function StatusBadge({ code }: { code: number }) {
  const t = useTranslations('campaigns.status');
  const s = STATUSES.find((x) => x.code === code);
  return s ? <Badge variant={s.variant}>{t(s.key)}</Badge> : <Badge variant="outline">{code}</Badge>;
}

function StateBadge({ state }: { state: string }) {
  const t = useTranslations('campaigns');
  const known = state in STATE_VARIANT ? (state as keyof typeof STATE_VARIANT) : null;
  return <Badge variant={known ? STATE_VARIANT[known] : 'outline'}>{known ? t(`state.${known}`) : state}</Badge>;
}

export function CampaignsView(props: {
  history: TCampaignSummary[];
  page: TCampaignDevicePage;
  filter: Filter;
  pageSize: number;
  fields: FieldInfo[];
  tenants: TenantOption[] | null;
  targetVersion: string;
}) {
  const { history, page, filter, pageSize } = props;
  const t = useTranslations('campaigns');
  const format = useFormatter();
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNav] = useTransition();
  const [showForm, setShowForm] = useState(false);
  const control = useApiAction();
  const c = page.Campaign;
  const when = (s: number) => (s > 0 ? format.dateTime(new Date(s * 1000), { dateStyle: 'short', timeStyle: 'medium' }) : '');
  const tenantName = (id: string) => (id === '' ? t('topLevel') : (props.tenants?.find((o) => o.id === id)?.name ?? id));

  const go = (f: Filter) => {
    const query = new URLSearchParams({
      ...(f.campaign ? { campaign: f.campaign } : {}),
      ...(f.status !== undefined ? { status: String(f.status) } : {}),
      ...(f.q ? { q: f.q } : {}),
      ...(f.offset ? { offset: String(f.offset) } : {}),
    }).toString();
    startNav(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  };
  const [search, setSearch] = useUrlSearch(filter.q, (q) => go({ ...filter, q, offset: 0 }));

  const [refreshing, startRefresh] = useTransition();
  const paused = useRef(false);
  paused.current = refreshing || navigating || control.pending || showForm;
  const live = c?.Active ?? false;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (!paused.current) startRefresh(() => router.refresh());
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, router]);

  const act = (fn: () => ReturnType<typeof stopCampaign>) => control.run(fn, () => router.refresh());

  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => setShowForm(!showForm)} variant={showForm ? 'outline' : 'default'}>
          <Plus /> {showForm ? t('form.cancel') : t('newCampaign')}
        </Button>
        <Button variant="outline" onClick={() => startRefresh(() => router.refresh())}>
          <RefreshCw /> {t('refresh')}
        </Button>
      </div>
      {showForm && (
        <StartCampaignForm
          fields={props.fields}
          tenants={props.tenants}
          targetVersion={props.targetVersion}
          onStarted={() => {
            setShowForm(false);
            go({ campaign: '', q: '', offset: 0 });
          }}
        />
      )}

      <Card data-testid="campaign-current">
        <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
          <div className="grid gap-1">
            <CardTitle>{c ? (c.Current ? t('currentTitle') : t('pastTitle', { date: when(c.StartTime) })) : t('noCampaignTitle')}</CardTitle>
            {c && (
              <CardDescription>
                {t('summary', { version: c.TargetVersion, date: when(c.StartTime), admin: c.StartedBy || '—' })}
              </CardDescription>
            )}
          </div>
          {c && (
            <div className="flex flex-wrap items-center gap-2">
              <StateBadge state={c.State} />
              {c.Current && c.State === 'running' && (
                <Button size="sm" variant="outline" disabled={control.pending} onClick={() => act(() => changeCampaign('pause'))}>
                  <Pause /> {t('pause')}
                </Button>
              )}
              {c.Current && c.State === 'paused' && (
                <Button size="sm" variant="outline" disabled={control.pending} onClick={() => act(() => changeCampaign('resume'))}>
                  <Play /> {t('resume')}
                </Button>
              )}
              {c.Current && c.Active && (
                <>
                  <Button size="sm" variant="outline" disabled={control.pending} onClick={() => act(stopCampaign)}>
                    <Square /> {t('stop')}
                  </Button>
                  <Button size="sm" variant="destructive" disabled={control.pending} onClick={() => act(() => changeCampaign('abort'))}>
                    <XCircle /> {t('abort')}
                  </Button>
                </>
              )}
            </div>
          )}
        </CardHeader>
        <CardContent className="grid gap-4">
          {!c && <p className="text-sm text-muted-foreground">{t('noCampaign')}</p>}
          {control.error && <Alert tone="error">{control.error}</Alert>}
          {c && (
            <>
              {c.PauseReason && c.State === 'paused' && <Alert tone="warning">{t('pausedBecause', { reason: c.PauseReason })}</Alert>}
              <div className="grid gap-2">
                <div className="flex items-baseline justify-between text-sm">
                  <span className="font-medium">{t('uptake', { confirmed: c.Counts.Confirmed, eligible: c.Eligible })}</span>
                  <span className="text-2xl font-semibold tabular-nums" data-testid="uptake">
                    {format.number(c.UptakePercent / 100, { style: 'percent', maximumFractionDigits: 1 })}
                  </span>
                </div>
                <div className="h-3 w-full overflow-hidden rounded-full bg-muted" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={c.UptakePercent} aria-label={t('uptakeLabel')}>
                  <div className="h-full bg-success transition-all" style={{ width: `${c.UptakePercent}%` }} />
                </div>
              </div>
              <div className="flex flex-wrap gap-2" aria-label={t('countsLabel')}>
                {STATUSES.map((s) => (
                  <button
                    key={s.code}
                    type="button"
                    aria-pressed={filter.status === s.code}
                    onClick={() => go({ ...filter, status: filter.status === s.code ? undefined : s.code, offset: 0 })}
                    className="grid min-w-28 gap-0.5 rounded-md border px-3 py-2 text-start hover:bg-accent aria-pressed:border-primary aria-pressed:bg-accent"
                  >
                    <span className="text-xs text-muted-foreground">{t(`status.${s.key}`)}</span>
                    <span className="text-lg font-semibold tabular-nums" data-testid={`count-${s.key}`}>
                      {c.Counts[COUNT_KEY[s.code]]}
                    </span>
                  </button>
                ))}
              </div>
              <div className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground" data-testid="campaign-options">
                {FLAG_KEYS.filter((k) => c.Options[k]).map((k) => (
                  <Badge key={k} variant="outline">
                    {t(`form.flags.${k}`)}
                  </Badge>
                ))}
                {(c.CanaryPercent > 0 || c.BatchSize > 0) && <span>{t('rolloutText', { wave: c.CurrentWave, canary: c.CanaryPercent, batch: c.BatchSize, threshold: c.FailureThresholdPercent })}</span>}
              </div>
            </>
          )}
        </CardContent>
      </Card>

      {c && (
        <Card>
          <CardHeader>
            <CardTitle>{t('devicesTitle')}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-3">
            <div className="flex flex-wrap items-center gap-2">
              <div className="relative w-full max-w-sm">
                <Search className="pointer-events-none absolute start-2.5 top-2.5 size-4 text-muted-foreground" />
                <Input aria-label={t('searchLabel')} placeholder={t('searchPlaceholder')} className="ps-8" value={search} onChange={(e) => setSearch(e.target.value)} />
              </div>
              <NativeSelect
                aria-label={t('statusFilter')}
                className="w-48"
                value={filter.status === undefined ? '' : String(filter.status)}
                onChange={(e) => go({ ...filter, q: search, status: e.target.value === '' ? undefined : Number(e.target.value), offset: 0 })}
              >
                <option value="">{t('statusAll')}</option>
                {STATUSES.map((s) => (
                  <option key={s.code} value={s.code}>
                    {t(`status.${s.key}`)}
                  </option>
                ))}
              </NativeSelect>
              <span className="text-sm text-muted-foreground">{t('showing', { from: page.Total === 0 ? 0 : filter.offset + 1, to: filter.offset + page.Devices.length, total: page.Total })}</span>
            </div>
            {page.Devices.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t('noDevices')}</p>
            ) : (
              <Table aria-label={t('devicesTitle')}>
                <THead>
                  <TR>
                    <TH>{t('col.device')}</TH>
                    <TH>{t('col.user')}</TH>
                    <TH>{t('col.organization')}</TH>
                    <TH>{t('col.status')}</TH>
                    <TH>{t('col.version')}</TH>
                    <TH>{t('col.wave')}</TH>
                    <TH>{t('col.requested')}</TH>
                    <TH>{t('col.result')}</TH>
                  </TR>
                </THead>
                <TBody>
                  {page.Devices.map((d) => (
                    <TR key={`${d.Username}/${d.DeviceID}`} data-device={d.DeviceID}>
                      <TD className="font-medium">
                        {d.FriendlyName || d.DeviceID}
                        {d.FriendlyName && <div className="text-xs text-muted-foreground">{d.DeviceID}</div>}
                      </TD>
                      <TD>{d.Username}</TD>
                      <TD>{tenantName(d.OrganizationID)}</TD>
                      <TD>
                        <StatusBadge code={d.Status} />
                      </TD>
                      <TD>{d.ReportedVersion}</TD>
                      <TD>{d.Wave || ''}</TD>
                      <TD>{when(d.RequestTime)}</TD>
                      <TD className="max-w-80 text-xs">
                        {when(d.ResultTime)}
                        {d.Message && <div className="text-muted-foreground">{d.Message}</div>}
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            )}
            {page.Total > pageSize && (
              <div className="flex gap-2">
                <Button size="sm" variant="outline" disabled={filter.offset === 0} onClick={() => go({ ...filter, offset: Math.max(0, filter.offset - pageSize) })}>
                  {t('previous')}
                </Button>
                <Button size="sm" variant="outline" disabled={filter.offset + pageSize >= page.Total} onClick={() => go({ ...filter, offset: filter.offset + pageSize })}>
                  {t('next')}
                </Button>
              </div>
            )}
          </CardContent>
        </Card>
      )}

      <Card>
        <CardHeader>
          <CardTitle>{t('historyTitle')}</CardTitle>
        </CardHeader>
        <CardContent>
          {history.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('noHistory')}</p>
          ) : (
            <Table aria-label={t('historyTitle')}>
              <THead>
                <TR>
                  <TH>{t('col.started')}</TH>
                  <TH>{t('col.state')}</TH>
                  <TH>{t('col.target')}</TH>
                  <TH>{t('col.eligible')}</TH>
                  <TH>{t('status.confirmed')}</TH>
                  <TH>{t('status.failed')}</TH>
                  <TH>{t('col.uptake')}</TH>
                  <TH>{t('col.ended')}</TH>
                </TR>
              </THead>
              <TBody>
                {history.map((h) => (
                  <TR key={h.CampaignID} data-campaign={h.CampaignID} aria-current={c?.CampaignID === h.CampaignID ? 'true' : undefined} className={c?.CampaignID === h.CampaignID ? 'bg-accent/60' : undefined}>
                    <TD>
                      <Link className="font-medium underline-offset-4 hover:underline" href={h.Current ? pathname : `${pathname}?campaign=${h.CampaignID}`}>
                        {when(h.StartTime)}
                      </Link>
                    </TD>
                    <TD>
                      <StateBadge state={h.State} />
                    </TD>
                    <TD>{h.TargetVersion}</TD>
                    <TD>{h.Eligible}</TD>
                    <TD>{h.Counts.Confirmed}</TD>
                    <TD>{h.Counts.Failed}</TD>
                    <TD>{format.number(h.UptakePercent / 100, { style: 'percent', maximumFractionDigits: 1 })}</TD>
                    <TD>{when(h.EndTime)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
