'use client';
// The report editor (one EmailReportingOption): report type, schedule and period, recipients, language
// and time zone, and the job filter in the same query builder as the job history, with a live count.
// Preview renders the draft as the recipient would get it; Send test mails it now. A user's report
// (OverrideEmailSettings) has no recipients, language or time zone of its own: `forUser` hides them.
// What Save, Preview and Send test do is up to the caller (admin reports, user reports).
import { Eye, Send } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { countJobs } from '../../../app/(console)/jobs/actions';
import { previewReport, saveReport, sendTestReport, type EmailPreview } from '../../../app/(console)/settings/email/actions';
import type { ActionResult } from '@/lib/adapters/console/session';
import {
  clockText,
  IMMEDIATE,
  parseClock,
  PERIOD_CHOICES,
  pickFromSchedule,
  REPORT_LANGUAGES,
  REPORT_TYPE_KEY,
  REPORT_TYPES,
  scheduleFromPick,
  splitRecipients,
  type Frequency,
  type ReportOption,
  type SchedulePick,
} from '@/lib/adapters/console/email-reports';
import type { TenantOption } from '@/lib/adapters/console/tenant-options';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Field, Input, NativeSelect, Textarea } from '../../ui/input';
import { clauseOf, QueryBuilder, rootFrom, type FieldInfo } from '../jobs/QueryBuilder';
import { DialogActions } from '../FormDialog';
import { TimeZonePicker } from '../TimeZonePicker';
import { FieldError, FieldErrorsProvider, useFieldRefusal } from '../field-errors';
import { useApiAction } from '../use-api-action';
import { useLanguageName } from '../language-name';
import { EmailPreviewView } from './EmailPreviewView';
import { useDirtyForm } from '../use-unsaved-warning';

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;

/** The editor's inputs and the refusals that concern them (API field suffixes and catalogue keys). */
const REPORT_FIELD_ERRORS = {
  type: ['.ReportType', 'reportTypeUnknown', 'reportConfigTypeUnknown'],
  recipients: ['.Recipients', 'recipientsNotEmail', 'needRecipients'],
  schedule: ['.SummaryFrequency', 'reportFrequencyUnschedulable'],
  zone: ['.LocalTimezone'],
  filter: ['.Filter'],
} as const;
const FREQUENCIES: Frequency[] = ['hourly', 'daily', 'weekly', 'monthly'];

type ReportActions = {
  save: (option: ReportOption, org: string) => Promise<ActionResult<unknown>>;
  preview: (option: ReportOption, org: string) => Promise<ActionResult<EmailPreview>>;
  sendTest?: (option: ReportOption, org: string) => Promise<ActionResult<unknown>>;
};

/** An organization's admin report `index` (-1: a new one), which must still be `before` when saved. */
export function adminReportActions(index: number, before: ReportOption | null, changedMessage: string): ReportActions {
  return {
    save: (o, org) => saveReport(org, index, before, o, changedMessage),
    preview: (o, org) => previewReport(org, o),
    sendTest: (o, org) => sendTestReport(org, o),
  };
}

export function ReportEditor(props: {
  /** The organization the report belongs to ('' = the admin's own, top level: the server). */
  org: string;
  /** Top-level admins creating a report from the job history choose the organization here. */
  orgChoices?: TenantOption[] | null;
  initial: ReportOption;
  fields: FieldInfo[];
  tenants?: TenantOption[] | null;
  title: string;
  forUser?: boolean;
  actions: ReportActions;
  onClose: () => void;
  onSaved: (org: string) => void;
}) {
  const t = useTranslations('settings.email.editor');
  const tt = useTranslations('settings.email.types');
  const tc = useTranslations('common');
  const languageName = useLanguageName();
  const save = useApiAction();
  const side = useApiAction();
  const cfg = props.initial.EmailReportConfig;
  const [org, setOrg] = useState(props.org);
  const [type, setType] = useState(cfg.ReportType ?? IMMEDIATE);
  const schedules = cfg.SummaryFrequency ?? [];
  const [pick, setPick] = useState<SchedulePick | null>(() => pickFromSchedule(schedules[0]));
  const [span, setSpan] = useState(cfg.TimeSpan?.Seconds ?? 0);
  const [recipients, setRecipients] = useState((props.initial.Recipients ?? []).join('\n'));
  const [language, setLanguage] = useState(props.initial.LanguageCode || 'en_US');
  const [zone, setZone] = useState(props.initial.LocalTimezone || 'UTC');
  const unsaved = useDirtyForm();
  const [root, setRoot] = useState(() => rootFrom(cfg.Filter ?? { ClauseType: 'and', ClauseChildren: [] }));
  const [count, setCount] = useState<number | null>(null);
  const [preview, setPreview] = useState<EmailPreview | null>(null);
  const [note, setNote] = useState('');
  // A refusal (of saving, previewing or sending a test) next to the input it concerns; the next edit clears it.
  const formRef = useRef<HTMLFormElement>(null);
  const failed = save.error ? save : side.error ? side : null;
  const refusal = useFieldRefusal(formRef, failed, REPORT_FIELD_ERRORS);

  const filter = useMemo(() => clauseOf(root), [root]);
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(async () => {
      // A timer-fired preview: it may land while the page is being left, and must not throw into it.
      const res = await countJobs(filter).catch(() => null);
      if (!cancelled) setCount(res?.ok ? res.data.Count : null);
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [filter]);

  const scheduled = type !== IMMEDIATE;
  const option = (): ReportOption => ({
    EmailReportConfig: {
      ReportType: type,
      // A schedule the editor can't show (yearly, periodic, restricted days) is kept as it was.
      SummaryFrequency: scheduled ? (pick ? [scheduleFromPick(pick), ...schedules.slice(1)] : schedules) : [],
      TimeSpan: scheduled && span > 0 ? { FrequencyType: 0, Seconds: span } : null,
      Filter: filter,
    },
    LanguageCode: language,
    LocalTimezone: zone.trim(),
    Recipients: splitRecipients(recipients),
  });
  const setPickField = (patch: Partial<SchedulePick>) => setPick((p) => ({ ...(p ?? pickFromSchedule(undefined)!), ...patch }));

  return (
    <Dialog open onOpenChange={(o) => !o && props.onClose()}>
      <DialogContent title={props.title} description={t('description')} closeLabel={tc('close')} className="max-h-[92vh] max-w-4xl overflow-y-auto">
        <form
          ref={formRef}
          onChange={() => {
            unsaved.markDirty();
            // Messages about the previous attempt no longer apply once the admin edits.
            if (save.error) save.setError('');
            if (side.error) side.setError('');
            if (note) setNote('');
          }}
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const o = option();
            if (!props.forUser && !o.Recipients?.length) {
              save.setError(t('needRecipients'), 'needRecipients');
              return;
            }
            save.run(
              () => props.actions.save(o, org),
              () => props.onSaved(org),
            );
          }}
        >
          {props.orgChoices && (
            <Field label={t('organization')} hint={t('organizationHint')}>
              <NativeSelect value={org} onChange={(e) => setOrg(e.target.value)}>
                {props.orgChoices.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.id ? o.name : t('serverReports')}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          )}
          <FieldErrorsProvider errors={refusal.errors}>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('type')} hint={tt(`${REPORT_TYPE_KEY[type] ?? 'summary'}Hint`)} error={<FieldError name="type" />}>
              <NativeSelect name="type" value={type} onChange={(e) => setType(Number(e.target.value))}>
                {REPORT_TYPES.map((rt) => (
                  <option key={rt} value={rt}>
                    {tt(REPORT_TYPE_KEY[rt])}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            {!props.forUser && (
              <Field label={t('recipients')} hint={t('recipientsHint')} error={<FieldError name="recipients" />}>
                <Textarea name="recipients" dir="ltr" value={recipients} onChange={(e) => setRecipients(e.target.value)} rows={2} className="min-h-9 font-mono text-xs" />
              </Field>
            )}
          </div>
          {scheduled && (
            <fieldset name="schedule" className="grid gap-3 rounded-md border p-3">
              <legend className="px-1 text-sm font-medium">{t('schedule')}</legend>
              <FieldError name="schedule" />
              {pick ? (
                <div className="flex flex-wrap items-end gap-3">
                  <Field label={t('frequency')}>
                    <NativeSelect value={pick.frequency} onChange={(e) => setPickField({ frequency: e.target.value as Frequency })} className="w-36">
                      {FREQUENCIES.map((f) => (
                        <option key={f} value={f}>
                          {t(`frequencies.${f}`)}
                        </option>
                      ))}
                    </NativeSelect>
                  </Field>
                  {pick.frequency === 'weekly' && (
                    <Field label={t('weekday')}>
                      <NativeSelect value={pick.weekday} onChange={(e) => setPickField({ weekday: Number(e.target.value) })} className="w-40">
                        {WEEKDAYS.map((d) => (
                          <option key={d} value={d}>
                            {t(`weekdays.${d}`)}
                          </option>
                        ))}
                      </NativeSelect>
                    </Field>
                  )}
                  {pick.frequency === 'monthly' && (
                    <Field label={t('monthDay')}>
                      <Input type="number" min={1} max={31} value={pick.monthDay} onChange={(e) => setPickField({ monthDay: Math.min(31, Math.max(1, Number(e.target.value) || 1)) })} className="w-24" />
                    </Field>
                  )}
                  {pick.frequency === 'hourly' ? (
                    <Field label={t('minute')}>
                      <Input type="number" min={0} max={59} value={pick.minute} onChange={(e) => setPickField({ minute: Math.min(59, Math.max(0, Number(e.target.value) || 0)) })} className="w-24" />
                    </Field>
                  ) : (
                    <Field label={t('time')}>
                      <Input type="time" value={clockText(pick.time)} onChange={(e) => setPickField({ time: parseClock(e.target.value) })} className="w-32" />
                    </Field>
                  )}
                  <Field label={t('period')}>
                    <NativeSelect value={span} onChange={(e) => setSpan(Number(e.target.value))} className="w-56">
                      {PERIOD_CHOICES.map((s) => (
                        <option key={s} value={s}>
                          {t(`periods.${s}`)}
                        </option>
                      ))}
                    </NativeSelect>
                  </Field>
                </div>
              ) : (
                <div className="flex flex-wrap items-center gap-3 text-sm text-muted-foreground">
                  {t('customSchedule')}
                  <Button type="button" variant="outline" size="sm" onClick={() => setPick(pickFromSchedule(undefined))}>
                    {t('replaceSchedule')}
                  </Button>
                </div>
              )}
            </fieldset>
          )}
          {!props.forUser && (
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label={t('language')}>
                <NativeSelect value={language} onChange={(e) => setLanguage(e.target.value)}>
                  {!REPORT_LANGUAGES.some((l) => l.code === language) && <option value={language}>{language}</option>}
                  {REPORT_LANGUAGES.map((l) => (
                    <option key={l.code} value={l.code}>
                      {languageName(l.code)}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
              <Field label={t('timeZone')} hint={t('timeZoneHint')} error={<FieldError name="zone" />}>
                <TimeZonePicker name="zone" value={zone} onChange={setZone} aria-label={t('timeZone')} />
              </Field>
            </div>
          )}
          <fieldset name="filter" className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t('filter')}</legend>
            <p className="text-xs text-muted-foreground">{t('filterHint')}</p>
            <FieldError name="filter" />
            <QueryBuilder root={root} onChange={setRoot} fields={props.fields} tenants={props.tenants} />
            <span className="text-sm text-muted-foreground" data-testid="report-filter-count" aria-live="polite">
              {count === null ? '…' : t('matchesNow', { count })}
            </span>
          </fieldset>
          </FieldErrorsProvider>
          {save.error && !refusal.input && <Alert tone="error">{save.error}</Alert>}
          {side.error && !refusal.input && <Alert tone="error">{side.error}</Alert>}
          {note && (
            <p className="text-sm text-success" role="status">
              {note}
            </p>
          )}
          <div className="flex flex-wrap items-center justify-between gap-2 border-t pt-4">
            <span className="flex gap-2">
              <Button type="button" variant="outline" disabled={side.pending} onClick={() => side.run(() => props.actions.preview(option(), org), (p) => { setNote(''); setPreview(p); })}>
                <Eye /> {t('preview')}
              </Button>
              {props.actions.sendTest && (
                <Button
                  type="button"
                  variant="outline"
                  disabled={side.pending}
                  onClick={() => {
                    const o = option();
                    const sendTest = props.actions.sendTest!;
                    if (!o.Recipients?.length) return side.setError(t('needRecipients'), 'needRecipients');
                    side.run(() => sendTest(o, org), () => setNote(t('testSent', { recipients: (o.Recipients ?? []).join(', ') })));
                  }}
                >
                  <Send /> {t('sendTest')}
                </Button>
              )}
            </span>
            <DialogActions onCancel={props.onClose} submitLabel={tc('save')} pending={save.pending} />
          </div>
          {preview && <EmailPreviewView preview={preview} />}
        </form>
      </DialogContent>
    </Dialog>
  );
}
