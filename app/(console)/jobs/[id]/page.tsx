import { getLocale, getTimeZone, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NotFoundError } from '../../../../lib/errors';
import { api, requireAdmin } from '@/lib/adapters/console/session';
import { statusTone, type JobRow } from '../../../../components/console/jobs/job-codes';
import { JobLog } from '../../../../components/console/jobs/JobLog';
import { createFormatter } from '../../../../components/console/format';
import { PageHeader } from '../../../../components/console/PageHeader';
import { Badge } from '../../../../components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '../../../../components/ui/card';

export default async function JobPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ severity?: string; contains?: string }> }) {
  await requireAdmin();
  const id = decodeURIComponent((await params).id);
  const sp = await searchParams;
  const t = await getTranslations('jobs');
  const fmt = createFormatter(await getLocale(), await getTimeZone(), (await getTranslations()) as unknown as Parameters<typeof createFormatter>[2]);
  let job: JobRow;
  try {
    job = await api<JobRow>('/api/v1/admin/get-job-properties', { JobID: id });
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
  const severity = ['D', 'I', 'W', 'E'].includes(sp.severity ?? '') ? sp.severity! : 'I';
  const entries = await api<Array<{ Time: number; Severity: string; Message: string }>>('/api/v1/admin/get-job-log-entries', {
    JobID: id,
    MinSeverity: severity,
    MessageContains: sp.contains || undefined,
  });
  let names = { device: job.DeviceID, item: job.SourceGUID, vault: job.DestinationGUID };
  try {
    const p = await api<{ Devices?: Record<string, { FriendlyName?: string }>; Sources?: Record<string, { Description?: string }>; Destinations?: Record<string, { Description?: string }> }>('/api/v1/admin/get-user-profile', { TargetUser: job.Username });
    names = {
      device: p.Devices?.[job.DeviceID]?.FriendlyName || job.DeviceID,
      item: p.Sources?.[job.SourceGUID]?.Description || job.SourceGUID,
      vault: p.Destinations?.[job.DestinationGUID]?.Description || job.DestinationGUID,
    };
  } catch {
    // The user was deleted since: ids stay.
  }
  const facts: Array<[string, React.ReactNode]> = [
    [t('columns.User'), <Link key="u" className="text-primary hover:underline" href={`/users/${encodeURIComponent(job.Username)}`}>{job.Username}</Link>],
    [t('columns.Device'), names.device || '—'],
    [t('columns.Item'), names.item || '—'],
    [t('columns.Vault'), names.vault || '—'],
    [t('columns.Started'), fmt.dateTime(job.StartTime, 'dateTimeSeconds')],
    [t('detail.ended'), job.EndTime ? fmt.dateTime(job.EndTime, 'dateTimeSeconds') : t('running')],
    [t('columns.Duration'), job.EndTime ? fmt.duration(job.EndTime - job.StartTime) : '—'],
    [t('columns.Files'), fmt.count(job.TotalFiles)],
    [t('columns.Size'), fmt.bytes(job.TotalSize)],
    [t('columns.Uploaded'), fmt.bytes(job.UploadSize)],
    [t('columns.Downloaded'), fmt.bytes(job.DownloadSize)],
    [t('detail.vaultSize'), fmt.bytes(job.DestinationSizeEnd?.Size ?? 0)],
    [t('detail.clientVersion'), job.ClientVersion || '—'],
    [t('detail.snapshot'), job.SnapshotID ? <code key="s" className="text-xs" title={job.SnapshotID}>{job.SnapshotID}</code> : '—'],
    [t('columns.JobID'), <code key="j" className="text-xs" title={job.GUID}>{job.GUID}</code>],
  ];
  return (
    <>
      <nav className="mb-2 text-sm text-muted-foreground">
        <Link href="/jobs" className="hover:underline">
          {t('title')}
        </Link>{' '}
        / {fmt.jobClassification(job.Classification)}
      </nav>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {t('detail.title', { type: fmt.jobClassification(job.Classification), user: job.Username })}
            <Badge variant={statusTone(job.Status)}>{fmt.jobStatus(job.Status)}</Badge>
          </span>
        }
      />
      <div className="grid gap-6 xl:grid-cols-[max-content_minmax(0,1fr)]">
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>{t('detail.properties')}</CardTitle>
          </CardHeader>
          <CardContent>
            {/* One line per property: the panel is as wide as its longest value (dates and ids never wrap); only a narrower screen cuts a value, with an ellipsis and the whole value on hover. */}
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm" data-testid="job-properties">
              {facts.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="whitespace-nowrap text-muted-foreground">{k}</dt>
                  <dd className="min-w-0 truncate whitespace-nowrap" title={typeof v === 'string' ? v : undefined}>
                    {v}
                  </dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>{t('detail.log')}</CardTitle>
          </CardHeader>
          <CardContent>
            <JobLog jobId={job.GUID} entries={entries} severity={severity} contains={sp.contains ?? ''} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
