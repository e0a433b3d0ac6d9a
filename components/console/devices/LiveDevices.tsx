'use client';
import { CheckCircle2, ChevronLeft, ChevronRight, Plug, RefreshCw, Search, X, XCircle } from 'lucide-react';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { abandonJob, cancelJob, dropLobbyDevice, registerLobbyDevice, sendDeviceCommand } from '../../../app/(console)/devices/actions';
import { revokeDevice } from '../../../app/(console)/users/actions';
import { CLIENT_VERSION } from '@/lib/client-builds/client-version';
import type { DevicePage, DevicePageRow } from '@/lib/live/list-device-page';
import type { DeviceStatusFilter } from '@/lib/live/list-device-states';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../../ui/card';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Field, Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { formatBytes, formatOs, formatPlatform } from '../format';
import { DialogActions } from '../FormDialog';
import { CopyButton, Truncated } from '../users/Truncated';
import { useApiAction } from '../use-api-action';
import { useUrlSearch } from '../use-url-search';
import { DeviceActionsDialog } from './DeviceActionsDialog';

export type LobbyRow = { id: string; DeviceID: string; FriendlyName: string; ReportedVersion: string; ReportedPlatform: string; IPAddress: string; ConnectionTime: number };
export type RunningJob = {
  GUID: string;
  Username: string;
  DeviceID: string;
  Classification: number;
  StartTime: number;
  TotalFiles: number;
  UploadSize: number;
  Progress?: { BytesDone?: number; ItemsDone?: number; ItemsTotal?: number };
};

/** How often the page re-reads devices, lobby and running jobs (server components, via router.refresh). */
const REFRESH_MS = 3000;

type DeviceFilter = { q: string; status: DeviceStatusFilter; os: string; outdated: boolean; page: number };

type TBulkCommand = 'update-software' | 'refetch-profile' | 'drop-connection' | 'revoke';
type TDeviceResult = { ok: boolean; message: string };
const deviceKey = (d: { Username: string; DeviceID: string }) => `${d.Username}/${d.DeviceID}`;

export function LiveDevices({
  page,
  pageSize,
  counts,
  filter,
  lobby,
  running,
  online: liveKeys,
}: {
  page: DevicePage;
  pageSize: number;
  counts: { Total: number; Online: number };
  filter: DeviceFilter;
  lobby: LobbyRow[];
  running: RunningJob[];
  /** "username/deviceID" of every live device connection the admin may see (not only this page's rows). */
  online: string[];
}) {
  const locale = useLocale();
  const t = useTranslations('devices');
  const tc = useTranslations('campaigns');
  const format = useFormatter();
  const router = useRouter();
  const pathname = usePathname();
  const [filtering, startFilter] = useTransition();
  const devices = page.Devices;
  const [status, setStatus] = useState(filter.status);
  // Shown checked at once (the URL and the page follow), like the status filter.
  const [outdated, setOutdated] = useState(filter.outdated);
  const go = (f: DeviceFilter) => {
    const query = new URLSearchParams({
      ...(f.q ? { q: f.q } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.os ? { os: f.os } : {}),
      ...(f.outdated ? { outdated: '1' } : {}),
      ...(f.page > 1 ? { page: String(f.page) } : {}),
    }).toString();
    startFilter(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  };
  // Each control sends what the others show, so a status change and a search typed right after it
  // never undo each other; any filter change goes back to the first page.
  const [search, setSearch] = useUrlSearch(filter.q, (q) => go({ ...filter, q, status, page: 1 }));
  useEffect(() => setStatus(filter.status), [filter.status]); // back button
  useEffect(() => setOutdated(filter.outdated), [filter.outdated]);
  const [selected, setSelected] = useState<DevicePageRow | null>(null);
  // Multi-select for the bulk commands, by "username/deviceID"; it survives paging and refreshes.
  const [picked, setPicked] = useState<Map<string, DevicePageRow>>(() => new Map());
  const [results, setResults] = useState<Map<string, TDeviceResult>>(() => new Map());
  const [bulkProgress, setBulkProgress] = useState<{ done: number; total: number } | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const bulkRunning = bulkProgress !== null && bulkProgress.done < bulkProgress.total;
  const allOnPage = devices.length > 0 && devices.every((d) => picked.has(deviceKey(d)));
  const pick = (rows: DevicePageRow[], on: boolean) =>
    setPicked((prev) => {
      const next = new Map(prev);
      for (const d of rows) {
        if (on) next.set(deviceKey(d), d);
        else next.delete(deviceKey(d));
      }
      return next;
    });
  async function runBulk(command: TBulkCommand) {
    setConfirmRevoke(false);
    const targets = [...picked.values()];
    const out = new Map<string, TDeviceResult>();
    setResults(new Map());
    setBulkProgress({ done: 0, total: targets.length });
    for (const [i, d] of targets.entries()) {
      let result: TDeviceResult;
      try {
        if (command === 'revoke') {
          const res = await revokeDevice(d.Username, d.DeviceID);
          result = res.ok ? { ok: true, message: t('resultOk') } : { ok: false, message: res.message };
        } else if (!d.Online) {
          result = { ok: false, message: t('resultOffline') };
        } else {
          const res = await sendDeviceCommand(command, { TargetID: d.ConnectionID });
          result = res.ok ? { ok: res.data.Status < 400, message: res.data.Message } : { ok: false, message: res.message };
        }
      } catch (err) {
        result = { ok: false, message: err instanceof Error ? err.message : String(err) };
      }
      out.set(deviceKey(d), result);
      setResults(new Map(out));
      setBulkProgress({ done: i + 1, total: targets.length });
    }
    router.refresh();
  }
  const [registering, setRegistering] = useState<LobbyRow | null>(null);
  const jobAction = useApiAction();
  const lobbyAction = useApiAction();
  const onlineSet = new Set(liveKeys);

  // Auto-refresh, one at a time, and paused while a dialog is open: a refresh is a transition, and a
  // dialog's server action (also a transition) would otherwise wait behind an endless row of them.
  const [refreshing, startRefresh] = useTransition();
  const paused = useRef(false);
  paused.current = refreshing || filtering || selected !== null || registering !== null || bulkRunning || confirmRevoke;
  useEffect(() => {
    const timer = setInterval(() => {
      if (!paused.current) startRefresh(() => router.refresh());
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [router]);

  const names = new Map(devices.map((d) => [`${d.Username}/${d.DeviceID}`, d.FriendlyName || d.DeviceID]));
  const online = counts.Online;
  const filtered = filter.q !== '' || filter.status !== '' || filter.os !== '' || filter.outdated;
  const total = page.TotalCount;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (filter.page - 1) * pageSize + 1;
  const to = Math.min(total, filter.page * pageSize);
  const when = (s: number) => format.dateTime(new Date(s * 1000), { dateStyle: 'short', timeStyle: 'medium' });

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader className="flex flex-row items-center justify-between">
          <CardTitle>{t('devicesTitle', { online, total: counts.Total })}</CardTitle>
          <Button variant="outline" size="sm" onClick={() => router.refresh()}>
            <RefreshCw /> {t('refresh')}
          </Button>
        </CardHeader>
        <CardContent className="grid gap-3">
          {counts.Total > 0 && (
            <div className="flex flex-wrap items-center gap-2">
              <div className="relative w-full max-w-sm">
                <Search className="pointer-events-none absolute start-2.5 top-2.5 size-4 text-muted-foreground" />
                <Input aria-label={t('searchLabel')} placeholder={t('searchPlaceholder')} className="ps-8" value={search} onChange={(e) => setSearch(e.target.value)} />
              </div>
              <NativeSelect
                aria-label={t('statusFilter')}
                className="w-44"
                value={status}
                onChange={(e) => {
                  const next = e.target.value as DeviceStatusFilter;
                  setStatus(next);
                  go({ ...filter, q: search, status: next, page: 1 });
                }}
              >
                <option value="">{t('statusAll')}</option>
                <option value="online">{t('statusOnline')}</option>
                <option value="offline">{t('statusOffline')}</option>
              </NativeSelect>
              <NativeSelect aria-label={t('osFilter')} className="w-44" value={filter.os} onChange={(e) => go({ ...filter, q: search, status, os: e.target.value, page: 1 })}>
                <option value="">{t('osAll')}</option>
                {[...new Set([...page.Platforms, ...(filter.os ? [filter.os] : [])])].map((os) => (
                  <option key={os} value={os}>
                    {os}
                  </option>
                ))}
              </NativeSelect>
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  checked={outdated}
                  onChange={(e) => {
                    setOutdated(e.target.checked);
                    go({ ...filter, q: search, status, outdated: e.target.checked, page: 1 });
                  }}
                />
                {t('outdatedOnly')}
              </label>
              {filtered && total > 0 && <span className="text-sm text-muted-foreground">{t('matching', { count: total, more: 'no' })}</span>}
            </div>
          )}
          {picked.size > 0 && (
            <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label={t('bulkLabel')}>
              <span className="text-sm font-medium" data-testid="devices-selected">
                {t('selectedCount', { count: picked.size })}
              </span>
              <Button size="sm" variant="ghost" disabled={bulkRunning} onClick={() => (setPicked(new Map()), setResults(new Map()), setBulkProgress(null))}>
                <X /> {t('clearSelection')}
              </Button>
              <Button size="sm" variant="outline" disabled={bulkRunning} onClick={() => void runBulk('update-software')}>
                {t('bulkUpdate')}
              </Button>
              <Button size="sm" variant="outline" disabled={bulkRunning} onClick={() => void runBulk('refetch-profile')}>
                {t('bulkRefetch')}
              </Button>
              <Button size="sm" variant="outline" disabled={bulkRunning} onClick={() => void runBulk('drop-connection')}>
                {t('bulkDrop')}
              </Button>
              <Button size="sm" variant="destructive" disabled={bulkRunning} onClick={() => setConfirmRevoke(true)}>
                {t('bulkRevoke')}
              </Button>
              {bulkProgress && (
                <span className="text-sm text-muted-foreground" role="status" data-testid="devices-bulk-progress">
                  {t('progress', bulkProgress)}
                </span>
              )}
            </div>
          )}
          {devices.length === 0 ? (
            <p className="text-sm text-muted-foreground">{filter.q ? t('noMatch') : filter.status ? t('noneWithStatus', { status: filter.status }) : t('noDevices')}</p>
          ) : (
            <Table aria-label={t('devicesTitle', { online, total: counts.Total })}>
              <THead>
                <TR>
                  <TH className="w-8">
                    <input type="checkbox" className="size-3.5 accent-primary align-middle" aria-label={t('selectAll')} checked={allOnPage} onChange={(e) => pick(devices, e.target.checked)} />
                  </TH>
                  <TH>{t('device')}</TH>
                  <TH>{t('user')}</TH>
                  <TH>{t('status')}</TH>
                  <TH>{t('version')}</TH>
                  <TH>{t('platform')}</TH>
                  <TH>{t('address')}</TH>
                  <TH>{t('connectedSince')}</TH>
                  <TH />
                </TR>
              </THead>
              <TBody>
                {devices.map((d) => {
                  const result = results.get(deviceKey(d));
                  return (
                  <TR key={deviceKey(d)} data-device={d.DeviceID} data-state={picked.has(deviceKey(d)) ? 'selected' : undefined}>
                    <TD>
                      <input
                        type="checkbox"
                        className="size-3.5 accent-primary align-middle"
                        aria-label={t('selectRow', { name: d.FriendlyName || d.DeviceID })}
                        checked={picked.has(deviceKey(d))}
                        onChange={(e) => pick([d], e.target.checked)}
                      />
                    </TD>
                    <TD className="max-w-64 font-medium">
                      <Truncated text={d.FriendlyName || d.DeviceID} />
                      <span className="flex min-w-0 items-center gap-1 text-xs font-normal text-muted-foreground">
                        <Truncated text={d.DeviceID} className="max-w-48 font-mono" />
                        <CopyButton value={d.DeviceID} label={d.FriendlyName || d.DeviceID} />
                      </span>
                      {result && (
                        <span className={`flex items-center gap-1 text-xs font-normal ${result.ok ? 'text-success' : 'text-destructive'}`} data-testid={result.ok ? 'device-result-ok' : 'device-result-failed'}>
                          {result.ok ? <CheckCircle2 className="size-3.5" aria-label={t('resultOk')} /> : <XCircle className="size-3.5" aria-label={t('resultFailed')} />}
                          <Truncated text={result.message} className="max-w-56" />
                        </span>
                      )}
                    </TD>
                    <TD className="max-w-48">
                      <Truncated text={d.Username} />
                    </TD>
                    <TD>{d.Online ? <Badge variant="success">{t('online')}</Badge> : <Badge variant="secondary">{t('offline')}</Badge>}</TD>
                    <TD className="whitespace-nowrap">
                      {d.ClientVersion}
                      {d.Outdated && (
                        <Badge variant="warning" className="ms-2" title={tc('outdatedHint', { version: CLIENT_VERSION })}>
                          {tc('outdated')}
                        </Badge>
                      )}
                    </TD>
                    <TD className="whitespace-nowrap">{formatPlatform(d.ReportedPlatform) || formatOs(d.OS)}</TD>
                    <TD>{d.IPAddress}</TD>
                    <TD>{d.Online ? when(d.ConnectionTime) : ''}</TD>
                    <TD className="text-end">
                      <Button size="sm" variant="outline" onClick={() => setSelected(d)}>
                        {t('actions')}
                      </Button>
                    </TD>
                  </TR>
                  );
                })}
              </TBody>
            </Table>
          )}
          {total > 0 && (
            <div className="flex flex-wrap items-center justify-end gap-3 text-sm text-muted-foreground">
              <span data-testid="devices-range">{t('range', { from, to, total })}</span>
              <Button variant="outline" size="icon" className="size-8" aria-label={t('previousPage')} disabled={filter.page <= 1} onClick={() => go({ ...filter, q: search, status, page: filter.page - 1 })}>
                <ChevronLeft className="rtl:rotate-180" />
              </Button>
              <Button variant="outline" size="icon" className="size-8" aria-label={t('nextPage')} disabled={filter.page >= pages} onClick={() => go({ ...filter, q: search, status, page: filter.page + 1 })}>
                <ChevronRight className="rtl:rotate-180" />
              </Button>
            </div>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t('jobsTitle')}</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          {jobAction.error && <Alert tone="error">{jobAction.error}</Alert>}
          {running.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('noJobs')}</p>
          ) : (
            <Table aria-label={t('jobsTitle')}>
              <THead>
                <TR>
                  <TH>{t('device')}</TH>
                  <TH>{t('user')}</TH>
                  <TH>{t('started')}</TH>
                  <TH>{t('progressHeader')}</TH>
                  <TH />
                </TR>
              </THead>
              <TBody>
                {running.map((j) => {
                  const p = j.Progress ?? {};
                  const pct = p.ItemsTotal ? Math.min(100, Math.round(((p.ItemsDone ?? 0) / p.ItemsTotal) * 100)) : 0;
                  // A "running" job whose device has no live connection is not progressing: it only says so
                  // until it is abandoned (or the device comes back and reports it).
                  const stale = !onlineSet.has(`${j.Username}/${j.DeviceID}`);
                  return (
                    <TR key={j.GUID} data-job={j.GUID} data-stale={stale}>
                      <TD>
                        {names.get(`${j.Username}/${j.DeviceID}`) ?? j.DeviceID}
                        {stale && (
                          <Badge variant="warning" className="ms-2" title={t('staleJobHint')} data-testid="stale-job">
                            {t('staleJob')}
                          </Badge>
                        )}
                      </TD>
                      <TD>{j.Username}</TD>
                      <TD>{when(j.StartTime)}</TD>
                      <TD className="min-w-48">
                        <div className="h-2 rounded bg-muted" role="progressbar" aria-label={t('progressHeader')} aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
                          <div className="h-2 rounded bg-primary" style={{ width: `${pct}%` }} />
                        </div>
                        <span className="text-xs text-muted-foreground">{t('progressText', { items: p.ItemsDone ?? 0, total: p.ItemsTotal ?? 0, bytes: formatBytes(p.BytesDone ?? 0, locale) })}</span>
                      </TD>
                      <TD className="flex justify-end gap-2">
                        <Button size="sm" variant="outline" disabled={jobAction.pending} onClick={() => jobAction.run(() => cancelJob(j.Username, j.GUID), () => router.refresh())}>
                          {t('cancelJob')}
                        </Button>
                        <Button size="sm" variant="ghost" disabled={jobAction.pending} onClick={() => jobAction.run(() => abandonJob(j.Username, j.GUID), () => router.refresh())}>
                          {t('abandonJob')}
                        </Button>
                      </TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t('lobbyTitle')}</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          <p className="text-sm text-muted-foreground">{t('lobbyText')}</p>
          {lobbyAction.error && <Alert tone="error">{lobbyAction.error}</Alert>}
          {lobby.length > 0 && (
            <Table aria-label={t('lobbyTitle')}>
              <THead>
                <TR>
                  <TH>{t('device')}</TH>
                  <TH>{t('version')}</TH>
                  <TH>{t('platform')}</TH>
                  <TH>{t('address')}</TH>
                  <TH>{t('connectedSince')}</TH>
                  <TH />
                </TR>
              </THead>
              <TBody>
                {lobby.map((l) => (
                  <TR key={l.id}>
                    <TD className="font-medium">{l.FriendlyName || l.DeviceID}</TD>
                    <TD>{l.ReportedVersion}</TD>
                    <TD>{formatPlatform(l.ReportedPlatform)}</TD>
                    <TD>{l.IPAddress}</TD>
                    <TD>{when(l.ConnectionTime)}</TD>
                    <TD className="flex justify-end gap-2">
                      <Button size="sm" onClick={() => setRegistering(l)}>
                        <Plug /> {t('register')}
                      </Button>
                      <Button size="sm" variant="outline" disabled={lobbyAction.pending} onClick={() => lobbyAction.run(() => dropLobbyDevice(l.DeviceID), () => router.refresh())}>
                        {t('disconnect')}
                      </Button>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>

      {selected && <DeviceActionsDialog device={selected} onClose={() => setSelected(null)} />}
      {confirmRevoke && (
        <Dialog open onOpenChange={(o) => !o && setConfirmRevoke(false)}>
          <DialogContent title={t('confirmRevokeTitle', { count: picked.size })} description={t('confirmRevokeText')}>
            <form
              className="grid gap-4"
              onSubmit={(e) => {
                e.preventDefault();
                void runBulk('revoke');
              }}
            >
              <DialogActions onCancel={() => setConfirmRevoke(false)} submitLabel={t('confirm')} pending={false} destructive />
            </form>
          </DialogContent>
        </Dialog>
      )}
      {registering && <RegisterDialog device={registering} onClose={() => setRegistering(null)} />}
    </div>
  );
}

function RegisterDialog({ device, onClose }: { device: LobbyRow; onClose: () => void }) {
  const t = useTranslations('devices');
  const tc = useTranslations('common');
  const router = useRouter();
  const { run, pending, error } = useApiAction();
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent title={t('registerTitle', { name: device.FriendlyName || device.DeviceID })} description={t('registerText')} closeLabel={tc('close')}>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            run(
              () => registerLobbyDevice(device.DeviceID, String(f.get('username')), String(f.get('password')), String(f.get('totp') ?? '').trim()),
              () => {
                onClose();
                router.refresh();
              },
            );
          }}
        >
          <Field label={t('user')}>
            <Input name="username" required autoFocus autoComplete="off" />
          </Field>
          <Field label={t('userPassword')}>
            <Input name="password" type="password" required autoComplete="off" />
          </Field>
          <Field label={t('userTotp')} hint={t('userTotpHint')}>
            <Input name="totp" inputMode="numeric" pattern="[0-9]{6,8}" maxLength={8} autoComplete="one-time-code" />
          </Field>
          {error && <Alert tone="error">{error}</Alert>}
          <DialogActions onCancel={onClose} submitLabel={t('register')} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
