'use client';
// Settings → Self-backup: the targets (a local folder, an S3-compatible bucket or a Storage Role bucket, password, "faster ↔ smaller" compression, jobs and
// logs switches, an hourly or daily schedule, how many archives to keep), "Run now", the run history and
// the restore procedure.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { listRuns, runNow, saveTargets, type SelfBackupRun, type SelfBackupTarget } from '../../../app/(console)/settings/self-backup/actions';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Checkbox, Field, Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { isS3BucketName } from '../../../lib/validation/s3-bucket-name';
import { clearFlags, FieldError, FieldErrorsProvider, fieldForError, flagField } from '../field-errors';
import { useFormat } from '../format';
import { TimeZonePicker } from '../TimeZonePicker';
import { useApiAction } from '../use-api-action';
import { useDirtyDialog } from '../use-unsaved-warning';

const HOURLY = 8012;
const DAILY = 8011;
const LOCAL = 1002;
const S3 = 1000;
const STORAGE_ROLE = 1003;
const KEEP_ALL = 801;
const DELETE_EXCEPT = 802;
const MOST_RECENT = 900;

type Kind = 'local' | 's3' | 'role';
type Draft = {
  index: number;
  kind: Kind;
  path: string;
  s3Server: string;
  s3Tls: boolean;
  s3Bucket: string;
  s3Subdir: string;
  s3Region: string;
  s3AccessKey: string;
  s3SecretKey: string;
  roleServer: string;
  roleBucket: string;
  roleBucketKey: string;
  password: string; compression: number; excludeJobs: boolean; includeLogs: boolean; schedule: 'none' | 'hourly' | 'daily'; time: string; keep: number;
  /** IANA time zone of the schedule (ScheduleTimezone). */
  zone: string;
};

/** The browser's time zone: the default for a new target's schedule. */
function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Form input → the server's refusals that concern it: catalogue keys (lib/self-backup/stored-options.ts) and API
 * field suffixes (the field an error names), so a refused value is shown next to its input.
 */
const TARGET_FIELD_ERRORS = {
  path: ['localPathNotAbsolute'],
  s3Server: ['s3ServerInvalid', '.Location.S3Server'],
  s3Bucket: ['s3BucketNameInvalid'],
  s3Subdir: ['s3SubdirTooLong'],
  s3AccessKey: ['s3AccessKeyEmpty'],
  roleServer: ['cometServerInvalid'],
  roleBucket: ['cometBucketInvalid'],
  roleBucketKey: ['cometBucketKeyEmpty'],
  password: ['encryptionKeyLength'],
  zone: ['.ScheduleTimezone'],
} as const;

function draftOf(t: SelfBackupTarget | null, nextIndex: number): Draft {
  const s = t?.Schedule?.[0];
  const keepRange = t?.RetentionPolicy?.Mode === DELETE_EXCEPT ? t.RetentionPolicy.Ranges?.find((r) => r.Type === MOST_RECENT) : undefined;
  const secs = s?.SecondsPast ?? 7200;
  const loc = (t?.Location ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof loc[k] === 'string' ? (loc[k] as string) : '');
  return {
    index: t?.Index ?? nextIndex,
    kind: loc.DestinationType === S3 ? 's3' : loc.DestinationType === STORAGE_ROLE ? 'role' : 'local',
    path: text('LocalcopyPath'),
    s3Server: text('S3Server'),
    s3Tls: loc.S3UsesTLS === true,
    s3Bucket: text('S3BucketName'),
    s3Subdir: text('S3Subdir'),
    s3Region: text('S3CustomRegion'),
    s3AccessKey: text('S3AccessKey'),
    s3SecretKey: '',
    roleServer: text('CometServer'),
    roleBucket: text('CometBucket'),
    roleBucketKey: '',
    password: '',
    compression: t?.Compression || 4,
    excludeJobs: t?.ExcludeJobsDB ?? false,
    includeLogs: t?.IncludeServerLogs ?? false,
    schedule: s?.FrequencyType === HOURLY ? 'hourly' : s?.FrequencyType === DAILY ? 'daily' : 'none',
    time: `${String(Math.floor(secs / 3600) % 24).padStart(2, '0')}:${String(Math.floor(secs / 60) % 60).padStart(2, '0')}`,
    keep: keepRange?.Jobs ?? 0,
    zone: t?.ScheduleTimezone || browserZone(),
  };
}

function targetOf(d: Draft, before: SelfBackupTarget | undefined): SelfBackupTarget {
  const [h, m] = d.time.split(':').map(Number);
  const schedule =
    d.schedule === 'hourly' ? [{ FrequencyType: HOURLY, SecondsPast: (m || 0) * 60 }] : d.schedule === 'daily' ? [{ FrequencyType: DAILY, SecondsPast: (h || 0) * 3600 + (m || 0) * 60 }] : [];
  return {
    ...(before ?? {}),
    Index: d.index,
    Location: locationOf(d, before),
    EncryptionKey: d.password,
    Compression: d.compression,
    ExcludeJobsDB: d.excludeJobs,
    IncludeServerLogs: d.includeLogs,
    Schedule: schedule,
    ScheduleTimezone: d.zone.trim() || before?.ScheduleTimezone || browserZone(),
    RetentionPolicy: d.keep > 0 ? { Mode: DELETE_EXCEPT, Ranges: [{ Type: MOST_RECENT, Jobs: d.keep }] } : { Mode: KEEP_ALL, Ranges: [] },
  };
}

/** The DestinationLocation of a draft; blank secrets keep the stored ones (server-config/set fills them in). */
function locationOf(d: Draft, before: SelfBackupTarget | undefined): SelfBackupTarget['Location'] {
  const kept = (before?.Location ?? {}) as Record<string, unknown>;
  if (d.kind === 's3') {
    const sameKind = kept.DestinationType === S3;
    return {
      ...(sameKind ? kept : {}),
      DestinationType: S3,
      S3Server: d.s3Server.trim(),
      S3UsesTLS: d.s3Tls,
      S3BucketName: d.s3Bucket.trim(),
      S3Subdir: d.s3Subdir.trim(),
      S3CustomRegion: d.s3Region.trim(),
      S3AccessKey: d.s3AccessKey.trim(),
      S3SecretKey: d.s3SecretKey,
    };
  }
  if (d.kind === 'role') {
    const sameKind = kept.DestinationType === STORAGE_ROLE;
    return { ...(sameKind ? kept : {}), DestinationType: STORAGE_ROLE, CometServer: d.roleServer.trim(), CometBucket: d.roleBucket.trim(), CometBucketKey: d.roleBucketKey };
  }
  return { ...(kept.DestinationType === LOCAL ? kept : {}), DestinationType: LOCAL, LocalcopyPath: d.path.trim() };
}

/** Where a target writes, for the table (never a secret). */
function whereOf(x: SelfBackupTarget): string {
  const l = x.Location as Record<string, unknown>;
  if (l.DestinationType === S3) return `s3://${String(l.S3Server ?? '')}/${String(l.S3BucketName ?? '')}/${String(l.S3Subdir ?? '')}`.replace(/\/+$/, '');
  if (l.DestinationType === STORAGE_ROLE) return `${String(l.CometServer ?? '').replace(/\/+$/, '')} · ${String(l.CometBucket ?? '')}`;
  return String(l.LocalcopyPath ?? '');
}

export function SelfBackupManager({ targets, runs: initialRuns }: { targets: SelfBackupTarget[]; runs: SelfBackupRun[] }) {
  const t = useTranslations('serverOps.selfBackup');
  const tc = useTranslations('common');
  const fmt = useFormat();
  const router = useRouter();
  const { run, pending, error, errorKey, errorField, errorDetail, setError } = useApiAction();
  // A refusal the form maps to an input is shown next to it: the reason the server gave, or the form's own words.
  const errorInput = error ? fieldForError(errorKey, TARGET_FIELD_ERRORS, errorField) : undefined;
  const fieldMessage = errorInput ? errorDetail || t(`fieldErrors.${errorInput as keyof typeof TARGET_FIELD_ERRORS}`) : '';
  const [editing, setEditing] = useState<Draft | null>(null);
  const [runs, setRuns] = useState(initialRuns);
  const [notice, setNotice] = useState('');
  const busy = runs.some((r) => r.Status === 'queued' || r.Status === 'running');

  // While a run is queued or running, the history refreshes itself.
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => {
      void listRuns().then((res) => res.ok && setRuns(res.data.Runs));
    }, 2000);
    return () => clearInterval(timer);
  }, [busy]);
  useEffect(() => setRuns(initialRuns), [initialRuns]);

  const nextIndex = targets.reduce((n, x) => Math.max(n, x.Index + 1), 0);
  const describeSchedule = (x: SelfBackupTarget) => {
    const s = x.Schedule?.[0];
    if (!s) return t('scheduleNone');
    if (s.FrequencyType === HOURLY) return t('scheduleHourlyAt', { minute: String(Math.floor(s.SecondsPast / 60) % 60).padStart(2, '0') });
    const d = draftOf(x, 0);
    return t('scheduleDailyAt', { time: d.time });
  };

  const save = (next: SelfBackupTarget[], after: () => void) =>
    run(
      () => saveTargets(next),
      () => {
        after();
        router.refresh();
      },
    );

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader className="flex flex-row items-start justify-between gap-4">
          <div>
            <CardTitle>{t('title')}</CardTitle>
            <CardDescription>{t('description')}</CardDescription>
          </div>
          <div className="flex gap-2">
            {targets.length > 0 && (
              <Button variant="outline" disabled={pending} onClick={() => run(() => runNow(), () => setNotice(t('started')))}>
                {t('runAll')}
              </Button>
            )}
            <Button disabled={pending} onClick={() => { setError(''); setEditing(draftOf(null, nextIndex)); }}>
              {t('add')}
            </Button>
          </div>
        </CardHeader>
        <CardContent className="grid gap-4">
          {notice && <Alert tone="success">{notice}</Alert>}
          {targets.length === 0 && !editing && <p className="text-sm text-muted-foreground">{t('empty')}</p>}
          {targets.length > 0 && (
            <Table>
              <THead>
                <TR>
                  <TH>{t('location')}</TH>
                  <TH>{t('schedule')}</TH>
                  <TH>{t('compression')}</TH>
                  <TH>{t('contents')}</TH>
                  <TH />
                </TR>
              </THead>
              <TBody>
                {targets.map((x) => (
                  <TR key={x.Index}>
                    <TD className="font-mono text-xs">{whereOf(x)}</TD>
                    <TD>
                      {describeSchedule(x)}
                      {(x.Schedule?.length ?? 0) > 0 && x.ScheduleTimezone && <div className="text-xs text-muted-foreground">{x.ScheduleTimezone}</div>}
                    </TD>
                    <TD>{t('level', { level: x.Compression })}</TD>
                    <TD>
                      {x.ExcludeJobsDB ? t('withoutJobs') : t('everything')}
                      {x.IncludeServerLogs ? `, ${t('withLogs')}` : ''}
                    </TD>
                    <TD className="flex justify-end gap-2">
                      <Button size="sm" variant="outline" disabled={pending} onClick={() => run(() => runNow(x.Index), () => setNotice(t('started')))}>
                        {t('runNow')}
                      </Button>
                      <Button size="sm" variant="ghost" disabled={pending} onClick={() => { setError(''); setEditing(draftOf(x, nextIndex)); }}>
                        {t('edit')}
                      </Button>
                      <Button size="sm" variant="ghost" disabled={pending} onClick={() => save(targets.filter((y) => y.Index !== x.Index), () => setNotice(''))}>
                        {t('delete')}
                      </Button>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
          {editing && (
            <TargetForm
              draft={editing}
              isNew={!targets.some((x) => x.Index === editing.index)}
              pending={pending}
              error={error}
              errorInput={errorInput}
              fieldMessage={fieldMessage}
              onEdit={() => error && setError('')}
              onCancel={() => setEditing(null)}
              onSave={(d, clientError) => {
                if (clientError) return setError(clientError);
                const before = targets.find((x) => x.Index === d.index);
                const next = before ? targets.map((x) => (x.Index === d.index ? targetOf(d, before) : x)) : [...targets, targetOf(d, undefined)];
                save(next, () => setEditing(null));
              }}
            />
          )}
          {!editing && error && <Alert tone="error">{error}</Alert>}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t('history')}</CardTitle>
        </CardHeader>
        <CardContent>
          {runs.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('noRuns')}</p>
          ) : (
            <Table>
              <THead>
                <TR>
                  <TH>{t('started')}</TH>
                  <TH>{t('target')}</TH>
                  <TH>{t('duration')}</TH>
                  <TH>{t('size')}</TH>
                  <TH>{t('result')}</TH>
                </TR>
              </THead>
              <TBody>
                {runs.map((r) => (
                  <TR key={r.ID}>
                    <TD className="whitespace-nowrap">{fmt.dateTime(r.StartTime)}</TD>
                    <TD>
                      {r.Kind === 'export' ? t('export') : t('targetN', { n: r.TargetIndex })}
                      <div className="font-mono text-xs text-muted-foreground">{r.FileName || r.Location}</div>
                    </TD>
                    <TD>{r.EndTime ? fmt.duration(Math.max(0, r.EndTime - r.StartTime)) : '—'}</TD>
                    <TD>{r.Size ? fmt.bytes(r.Size) : '—'}</TD>
                    <TD>
                      <Badge variant={r.Status === 'success' ? 'success' : r.Status === 'failed' ? 'destructive' : 'secondary'}>{t(`status.${r.Status}`)}</Badge>
                      {r.Error && <div className="mt-1 max-w-md text-xs text-destructive">{r.Error}</div>}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t('restoreTitle')}</CardTitle>
          <CardDescription>{t('restoreDescription')}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-2 text-sm">
          <ol className="list-decimal space-y-2 ps-5">
            <li>{t('restoreStep1')}</li>
            <li>
              {t('restoreStep2')}
              <pre className="mt-1 overflow-x-auto rounded bg-muted p-2 font-mono text-xs">npm run restore -- /path/to/halley-self-backup-t0-….zip --password &apos;…&apos;</pre>
            </li>
            <li>
              {t('restoreStep3')}
              <pre className="mt-1 overflow-x-auto rounded bg-muted p-2 font-mono text-xs">HALLEY_DATA_DIR=/srv/halley-restored npm run restore -- /path/to/archive.zip --password &apos;…&apos; --apply</pre>
            </li>
            <li>{t('restoreStep4')}</li>
          </ol>
          <p className="text-muted-foreground">{t('restoreNote')}</p>
        </CardContent>
      </Card>
    </div>
  );
}

function TargetForm(props: {
  draft: Draft;
  isNew: boolean;
  pending: boolean;
  error: string;
  /** The input the server's refusal concerns (shown next to it), if the form maps it, and what to say there. */
  errorInput?: string;
  fieldMessage: string;
  /** An edit: the message about the previous attempt no longer applies. */
  onEdit: () => void;
  onCancel: () => void;
  onSave: (d: Draft, clientError?: string) => void;
}) {
  const { draft, isNew, pending, error, errorInput, fieldMessage, onEdit, onCancel, onSave } = props;
  const t = useTranslations('serverOps.selfBackup');
  const tc = useTranslations('common');
  const [d, setD] = useState(draft);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    clearFlags(formRef.current);
    if (errorInput) flagField(formRef.current, errorInput);
  }, [errorInput, error]);
  // Edits ask before Cancel or leaving the page throws them away (the form unmounts once saved).
  const unsaved = useDirtyDialog(onCancel);
  const set = (patch: Partial<Draft>) => {
    unsaved.markDirty();
    setD((x) => ({ ...x, ...patch }));
    onEdit();
  };
  return (
    <FieldErrorsProvider errors={errorInput ? { [errorInput]: fieldMessage } : {}}>
    <form
      ref={formRef}
      className="grid gap-4 rounded-md border p-4"
      aria-label={isNew ? t('add') : t('edit')}
      onChange={unsaved.markDirty}
      onSubmit={(e) => {
        e.preventDefault();
        if (d.kind === 'local' && !d.path.trim().startsWith('/')) return onSave(d, t('pathInvalid'));
        if (d.kind === 's3' && (!d.s3Server.trim() || !isS3BucketName(d.s3Bucket.trim()) || !d.s3AccessKey.trim() || (isNew && !d.s3SecretKey))) return onSave(d, t('s3Invalid'));
        if (d.kind === 'role' && (!d.roleServer.trim() || !d.roleBucket.trim() || (isNew && !d.roleBucketKey))) return onSave(d, t('roleInvalid'));
        if (isNew && d.password.length < 8) return onSave(d, t('passwordInvalid'));
        if (!isNew && d.password && d.password.length < 8) return onSave(d, t('passwordInvalid'));
        onSave(d);
      }}
    >
      <Field label={t('locationKind')}>
        <NativeSelect name="kind" value={d.kind} onChange={(e) => set({ kind: e.target.value as Kind })}>
          <option value="local">{t('kindLocal')}</option>
          <option value="s3">{t('kindS3')}</option>
          <option value="role">{t('kindStorageRole')}</option>
        </NativeSelect>
      </Field>
      {d.kind === 's3' && (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('s3Server')} hint={t('s3ServerHint')} error={<FieldError name="s3Server" />}>
            <Input name="s3Server" value={d.s3Server} onChange={(e) => set({ s3Server: e.target.value })} placeholder="s3.example.com" />
          </Field>
          <Field label={t('s3Bucket')} error={<FieldError name="s3Bucket" />}>
            <Input name="s3Bucket" value={d.s3Bucket} onChange={(e) => set({ s3Bucket: e.target.value })} placeholder="halley-backups" />
          </Field>
          <Field label={t('s3Subdir')} error={<FieldError name="s3Subdir" />}>
            <Input name="s3Subdir" value={d.s3Subdir} onChange={(e) => set({ s3Subdir: e.target.value })} placeholder="halley/nightly" />
          </Field>
          <Field label={t('s3Region')} hint={t('s3RegionHint')}>
            <Input name="s3Region" value={d.s3Region} onChange={(e) => set({ s3Region: e.target.value })} />
          </Field>
          <Field label={t('s3AccessKey')} error={<FieldError name="s3AccessKey" />}>
            <Input name="s3AccessKey" autoComplete="off" value={d.s3AccessKey} onChange={(e) => set({ s3AccessKey: e.target.value })} />
          </Field>
          <Field label={t('s3SecretKey')} hint={isNew ? undefined : t('secretKeep')}>
            <Input name="s3SecretKey" type="password" autoComplete="new-password" value={d.s3SecretKey} onChange={(e) => set({ s3SecretKey: e.target.value })} />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <Checkbox name="s3Tls" checked={d.s3Tls} onChange={(e) => set({ s3Tls: e.target.checked })} /> {t('s3Tls')}
          </label>
        </div>
      )}
      {d.kind === 'role' && (
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={t('roleServer')} hint={t('roleServerHint')} error={<FieldError name="roleServer" />}>
            <Input name="roleServer" value={d.roleServer} onChange={(e) => set({ roleServer: e.target.value })} placeholder="https://storage.example.com" />
          </Field>
          <Field label={t('roleBucket')} error={<FieldError name="roleBucket" />}>
            <Input name="roleBucket" value={d.roleBucket} onChange={(e) => set({ roleBucket: e.target.value })} />
          </Field>
          <Field label={t('roleBucketKey')} hint={isNew ? undefined : t('secretKeep')} error={<FieldError name="roleBucketKey" />}>
            <Input name="roleBucketKey" type="password" autoComplete="new-password" value={d.roleBucketKey} onChange={(e) => set({ roleBucketKey: e.target.value })} />
          </Field>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        {d.kind === 'local' && (
          <Field label={t('path')} hint={t('pathHint')} error={<FieldError name="path" />}>
            <Input name="path" value={d.path} onChange={(e) => set({ path: e.target.value })} placeholder="/srv/halley-backups" aria-invalid={!!error && !errorInput && !d.path.startsWith('/')} />
          </Field>
        )}
        <Field label={t('password')} hint={isNew ? t('passwordHint') : t('passwordKeep')} error={<FieldError name="password" />}>
          <Input name="password" type="password" autoComplete="new-password" value={d.password} onChange={(e) => set({ password: e.target.value })} />
        </Field>
      </div>
      <Field label={t('compression')} hint={t('compressionHint')}>
        <div className="flex items-center gap-3 text-sm">
          <span>{t('faster')}</span>
          <input
            name="compression"
            type="range"
            min={1}
            max={5}
            step={1}
            value={d.compression}
            onChange={(e) => set({ compression: Number(e.target.value) })}
            aria-valuetext={t('level', { level: d.compression })}
            className="w-48"
          />
          <span>{t('smaller')}</span>
          <span className="text-muted-foreground">{t('level', { level: d.compression })}</span>
        </div>
      </Field>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label={t('schedule')}>
          <NativeSelect name="schedule" value={d.schedule} onChange={(e) => set({ schedule: e.target.value as Draft['schedule'] })}>
            <option value="none">{t('scheduleNone')}</option>
            <option value="hourly">{t('scheduleHourly')}</option>
            <option value="daily">{t('scheduleDaily')}</option>
          </NativeSelect>
        </Field>
        <Field label={t('time')} hint={d.schedule === 'hourly' ? t('timeHourlyHint') : undefined}>
          <Input name="time" type="time" value={d.time} onChange={(e) => set({ time: e.target.value })} disabled={d.schedule === 'none'} />
        </Field>
        <Field label={t('keep')} hint={t('keepHint')}>
          <Input name="keep" type="number" min={0} max={1000} value={d.keep} onChange={(e) => set({ keep: Math.max(0, Number(e.target.value) || 0) })} />
        </Field>
      </div>
      <Field label={t('timeZone')} hint={t('timeZoneHint')} className="sm:max-w-sm" error={<FieldError name="zone" />}>
        <TimeZonePicker name="zone" value={d.zone} onChange={(zone) => set({ zone })} aria-label={t('timeZone')} />
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <Checkbox name="excludeJobs" checked={d.excludeJobs} onChange={(e) => set({ excludeJobs: e.target.checked })} /> {t('excludeJobs')}
      </label>
      <label className="flex items-center gap-2 text-sm">
        <Checkbox name="includeLogs" checked={d.includeLogs} onChange={(e) => set({ includeLogs: e.target.checked })} /> {t('includeLogs')}
      </label>
      {error && !errorInput && <Alert tone="error">{error}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {tc('save')}
        </Button>
        <Button type="button" variant="ghost" onClick={unsaved.requestClose}>
          {tc('cancel')}
        </Button>
      </div>
    </form>
    </FieldErrorsProvider>
  );
}
