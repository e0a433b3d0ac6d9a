'use client';
// Settings → Constellation: the organization's Constellation Role (on/off, the deletion switch with its guards
// explained), its figures, "Run report now", "Prune now" (top level, confirmed with the list of buckets the sweep
// would quarantine or destroy according to the last report), and the "Bucket users" report: every bucket with its
// verdict and reason, who uses it, searchable and filtered by state, with "Restore" for a quarantined bucket.
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { pruneConstellation, restoreBucket, runConstellationReport, saveConstellationOptions, type ConstellationOptions } from '../../../app/(console)/settings/constellation/actions';
import type { TConstellationBucketRow, TConstellationGuards } from '@/lib/constellation/list-constellation-buckets';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent } from '../../ui/card';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Checkbox, Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { useApiAction } from '../use-api-action';

export type ConstellationStatus = {
  DeletionEnabled: boolean;
  Targets: string[];
  TargetNames: string[];
  Stats: { LastCheckStart: number; TotalChecksStarted: number; TotalBucketsDeleted: number; ChecksCurrentlyActive: number };
};
type Report = { CheckStarted: number; CheckCompleted: number; Guards: TConstellationGuards; Buckets: TConstellationBucketRow[] };
type Filter = 'all' | 'in-use' | 'unused' | 'quarantined' | 'deleted';

const BADGE: Record<TConstellationBucketRow['State'], 'success' | 'secondary' | 'warning' | 'destructive' | 'outline'> = {
  'in-use': 'success',
  unused: 'secondary',
  quarantined: 'warning',
  deleted: 'destructive',
  unknown: 'outline',
};

export function ConstellationPanel({ options, status, report, canPrune }: { options: ConstellationOptions; status: ConstellationStatus; report: Report; canPrune: boolean }) {
  const t = useTranslations('constellation');
  const tc = useTranslations('common');
  const format = useFormatter();
  const router = useRouter();
  const { run, pending, error } = useApiAction();
  const [enabled, setEnabled] = useState(options.RoleEnabled);
  const [deleting, setDeleting] = useState(options.DeleteUnusedData);
  const [notice, setNotice] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  const [confirmPrune, setConfirmPrune] = useState(false);
  const dirty = enabled !== options.RoleEnabled || (enabled && deleting !== options.DeleteUnusedData);
  const when = (unix: number) => (unix > 0 ? format.dateTime(new Date(unix * 1000), { dateStyle: 'medium', timeStyle: 'short' }) : '—');
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    return report.Buckets.filter((b) => (filter === 'all' || b.State === filter) && (!q || b.BucketID.toLowerCase().includes(q) || b.InUseBy.some((u) => u.toLowerCase().includes(q))));
  }, [report.Buckets, filter, query]);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const b of report.Buckets) c[b.State] = (c[b.State] ?? 0) + 1;
    return c;
  }, [report.Buckets]);
  const doomed = report.Buckets.filter((b) => b.NextSweep !== '');
  const act = (action: () => Promise<{ ok: boolean } & object>, message: string) =>
    run(action as never, () => {
      setNotice(message);
      router.refresh();
    });

  return (
    <div className="grid gap-6">
      <Card>
        <CardContent className="grid gap-4 pt-6">
          <div>
            <h2 className="text-lg font-semibold">{t('title')}</h2>
            <p className="max-w-3xl text-sm text-muted-foreground">{t('description')}</p>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <Checkbox
              name="RoleEnabled"
              checked={enabled}
              onChange={(e) => {
                setEnabled(e.target.checked);
                setNotice('');
              }}
            />
            {t('enable')}
          </label>
          <div className="grid gap-1">
            <label className="flex items-center gap-2 text-sm">
              <Checkbox
                name="DeleteUnusedData"
                checked={enabled && deleting}
                disabled={!enabled}
                onChange={(e) => {
                  setDeleting(e.target.checked);
                  setNotice('');
                }}
              />
              {t('deleteUnused')}
            </label>
            <p className="max-w-3xl ps-6 text-xs text-muted-foreground">{t('guards', { reports: report.Guards.UnusedReports, hours: report.Guards.UnusedHours, grace: report.Guards.GraceHours, quarantine: report.Guards.QuarantineHours })}</p>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <Button disabled={pending || !dirty} onClick={() => act(() => saveConstellationOptions(enabled, deleting), tc('saved'))}>
              {tc('save')}
            </Button>
            <Button variant="outline" disabled={pending || !options.RoleEnabled} onClick={() => act(runConstellationReport, t('reportDone'))}>
              {t('runReport')}
            </Button>
            {canPrune && (
              <Button variant="outline" disabled={pending || !options.RoleEnabled} onClick={() => setConfirmPrune(true)}>
                {t('prune')}
              </Button>
            )}
            {notice && (
              <span role="status" className="text-sm text-success">
                {notice}
              </span>
            )}
          </div>
          {!options.RoleEnabled && <p className="text-sm text-muted-foreground">{t('disabledHint')}</p>}
          {error && <Alert tone="error">{error}</Alert>}
          <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
            <Figure label={t('stats.lastRun')} value={when(status.Stats.LastCheckStart)} />
            <Figure label={t('stats.runs')} value={format.number(status.Stats.TotalChecksStarted)} />
            <Figure label={t('stats.deleted')} value={format.number(status.Stats.TotalBucketsDeleted)} />
            <Figure label={t('stats.targets')} value={status.TargetNames.join(', ')} />
          </dl>
        </CardContent>
      </Card>

      <section className="grid gap-3" aria-labelledby="bucket-users">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 id="bucket-users" className="text-lg font-semibold">
              {t('report.title')}
            </h2>
            <p className="text-sm text-muted-foreground">{report.CheckStarted > 0 ? t('report.from', { when: when(report.CheckCompleted) }) : t('report.none')}</p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Input aria-label={t('report.search')} placeholder={t('report.search')} value={query} onChange={(e) => setQuery(e.target.value)} className="w-56" />
            <NativeSelect className="w-48" aria-label={t('report.filter')} value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
              {(['all', 'in-use', 'unused', 'quarantined', 'deleted'] as const).map((f) => (
                <option key={f} value={f}>
                  {t(`state.${f}`)}
                  {f !== 'all' ? ` (${counts[f] ?? 0})` : ` (${report.Buckets.length})`}
                </option>
              ))}
            </NativeSelect>
          </div>
        </div>
        <div className="rounded-lg border bg-card">
          <Table>
            <THead>
              <TR className="hover:bg-transparent">
                <TH>{t('report.bucket')}</TH>
                <TH>{t('report.state')}</TH>
                <TH>{t('report.usedBy')}</TH>
                <TH>{t('report.reason')}</TH>
                <TH>
                  <span className="sr-only">{t('report.actions')}</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {rows.length === 0 && (
                <TR>
                  <TD colSpan={5} className="py-10 text-center text-muted-foreground">
                    {t('report.empty')}
                  </TD>
                </TR>
              )}
              {rows.map((b) => (
                <TR key={b.BucketID} data-testid={`bucket-${b.BucketID}`}>
                  <TD className="max-w-64 truncate font-mono text-xs" title={b.BucketID}>
                    {b.BucketID}
                  </TD>
                  <TD>
                    <Badge variant={BADGE[b.State]}>{t(`state.${b.State}`)}</Badge>
                    {b.QuarantinedAt > 0 && <div className="mt-1 text-xs text-muted-foreground">{t('report.quarantinedAt', { when: when(b.QuarantinedAt) })}</div>}
                  </TD>
                  <TD className="text-sm">
                    {b.Users.length ? b.Users.map((u) => (u.ServerID > 0 ? `${u.Username} (#${u.ServerID})` : u.Username)).join(', ') : '—'}
                    {b.ExistsOnServers.some((i) => i > 0) && <div className="mt-1 text-xs text-muted-foreground">{t('report.existsOn')}: {b.ExistsOnServers.map((i) => `#${i}`).join(', ')}</div>}
                  </TD>
                  <TD className="max-w-md text-sm text-muted-foreground">{b.Reason}</TD>
                  <TD className="text-end">
                    {b.State === 'quarantined' && b.QuarantinedAt > 0 && (
                      <Button
                        variant="outline"
                        size="sm"
                        disabled={pending}
                        onClick={() => window.confirm(t('restoreConfirm', { id: b.BucketID })) && act(() => restoreBucket(b.BucketID), t('restored', { id: b.BucketID }))}
                      >
                        {t('restore')}
                      </Button>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      </section>

      {confirmPrune && (
        <Dialog open onOpenChange={(o) => !o && setConfirmPrune(false)}>
          <DialogContent title={t('pruneTitle')} closeLabel={tc('close')}>
            <div className="grid gap-4" data-testid="prune-confirm">
              <p className="text-sm">{doomed.length ? t('pruneList', { count: doomed.length }) : t('pruneNothing')}</p>
              {doomed.length > 0 && (
                <ul className="max-h-64 overflow-y-auto rounded border p-2 font-mono text-xs">
                  {doomed.map((b) => (
                    <li key={b.BucketID}>
                      {b.BucketID} — {t(`next.${b.NextSweep as 'quarantine' | 'destroy'}`)}
                    </li>
                  ))}
                </ul>
              )}
              <p className="text-xs text-muted-foreground">{t('pruneNote')}</p>
              <div className="flex justify-end gap-2">
                <Button variant="outline" onClick={() => setConfirmPrune(false)}>
                  {tc('cancel')}
                </Button>
                <Button
                  variant="destructive"
                  disabled={pending}
                  onClick={() => {
                    setConfirmPrune(false);
                    act(pruneConstellation, t('pruneDone'));
                  }}
                >
                  {t('pruneSubmit')}
                </Button>
              </div>
            </div>
          </DialogContent>
        </Dialog>
      )}
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-muted-foreground">{label}</dt>
      <dd className="mt-1 font-medium">{value}</dd>
    </div>
  );
}
