'use client';
// Settings → Email: the sender and SMTP server (a tenant admin sees its SMTP server but may change only
// the From fields), a test message, the admin reports (add, edit, preview, test, delete) and the log of
// report emails with their delivery state.
import { Eye, Pencil, Plus, RefreshCw, Send, Trash2 } from 'lucide-react';
import { useFormatter, useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { deleteReport, saveEmailOptions, sendTestEmail, sendTestReport, type EmailDeliveryRow } from '../../../app/(console)/settings/email/actions';
import { REPORT_TYPE_KEY, ruleCount, type EmailOptionsWire, type ReportOption } from '@/lib/adapters/console/email-reports';
import { useLanguageName } from '../language-name';
import type { TenantOption } from '@/lib/adapters/console/tenant-options';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Checkbox, Field, Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import type { FieldInfo } from '../jobs/QueryBuilder';
import { clearFlags, FieldError, FieldErrorsProvider, fieldForError, flagField } from '../field-errors';
import { useApiAction } from '../use-api-action';
import { adminReportActions, ReportEditor } from './ReportEditor';
import { ScheduleText } from './ScheduleText';
import { useDirtyForm } from '../use-unsaved-warning';

type Props = {
  org: string;
  tenants: TenantOption[] | null;
  options: EmailOptionsWire;
  deliveries: EmailDeliveryRow[];
  status: string;
  canEditSmtp: boolean;
  isServer: boolean;
  fields: FieldInfo[];
  newReport: ReportOption;
};

const STATUSES = ['pending', 'retrying', 'sent', 'failed', 'skipped'] as const;

/** The sender form's inputs and the server's refusals that concern them (API field suffixes and catalogue keys). */
const SENDER_FIELD_ERRORS = {
  FromName: ['.FromName', 'fromNameOneLine'],
  FromEmail: ['.FromEmail'],
  SMTPHost: ['.SMTPHost', 'smtpHostRequired'],
  SMTPPort: ['.SMTPPort', 'smtpPortRange'],
  recipient: ['recipientNotEmail'],
} as const;

export function EmailSettings(props: Props) {
  const t = useTranslations('settings.email');
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const go = (patch: Record<string, string>) => {
    const params = new URLSearchParams(search.toString());
    for (const [k, v] of Object.entries(patch)) (v ? params.set(k, v) : params.delete(k));
    router.push(`${pathname}?${params.toString()}`, { scroll: false });
  };
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
      {props.tenants && (
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor="email-org" className="text-sm font-medium">
            {t('organization')}
          </label>
          <NativeSelect id="email-org" className="h-8 w-64 py-0" value={props.org} onChange={(e) => go({ org: e.target.value, status: '' })}>
            {props.tenants.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </NativeSelect>
        </div>
      )}
      <SenderCard key={`sender-${props.org}`} {...props} />
      <ReportsCard key={`reports-${props.org}`} {...props} />
      <DeliveriesCard {...props} onStatus={(s) => go({ status: s })} />
    </div>
  );
}

function SenderCard({ org, options, canEditSmtp, isServer }: Props) {
  const unsaved = useDirtyForm();
  const t = useTranslations('settings.email.sender');
  const router = useRouter();
  const saving = useApiAction();
  const testing = useApiAction();
  const [f, setF] = useState(() => ({
    FromName: options.FromName ?? '',
    FromEmail: options.FromEmail ?? '',
    Mode: options.Mode ?? '',
    SMTPHost: options.SMTPHost ?? '',
    SMTPPort: options.SMTPPort ?? 0,
    SMTPUsername: options.SMTPUsername ?? '',
    SMTPPassword: '',
    SMTPAllowInvalidCertificate: options.SMTPAllowInvalidCertificate === true,
    SMTPAllowUnencrypted: options.SMTPAllowUnencrypted === true,
  }));
  const [recipient, setRecipient] = useState('');
  const [note, setNote] = useState('');
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((x) => ({ ...x, [k]: v }));
  const smtp = f.Mode === 'smtp' || f.Mode === 'smtp-ssl';
  // A refusal that concerns one input is shown next to it, in the UI language and without the API's field name.
  const formRef = useRef<HTMLFormElement>(null);
  const failed = saving.error ? saving : testing.error ? testing : null;
  const errorInput = failed ? fieldForError(failed.errorKey, SENDER_FIELD_ERRORS, failed.errorField) : undefined;
  useEffect(() => {
    clearFlags(formRef.current);
    if (errorInput) flagField(formRef.current, errorInput);
  }, [errorInput, failed?.error]);
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{isServer ? t('descriptionServer') : t('descriptionTenant')}</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          ref={formRef}
          onChange={() => {
            unsaved.markDirty();
            // Messages about the previous attempt no longer apply once the admin edits.
            if (saving.error) saving.setError('');
            if (testing.error) testing.setError('');
            if (note) setNote('');
          }}
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            setNote('');
            saving.run(
              () => saveEmailOptions(org, f),
              () => {
                unsaved.markClean();
                setNote(t('saved'));
                set('SMTPPassword', '');
                router.refresh();
              },
            );
          }}
        >
          <FieldErrorsProvider errors={errorInput && failed ? { [errorInput]: failed.errorDetail || failed.errorFieldFree || failed.error } : {}}>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('fromName')} error={<FieldError name="FromName" />}>
              <Input name="FromName" value={f.FromName} onChange={(e) => set('FromName', e.target.value)} maxLength={200} />
            </Field>
            <Field label={t('fromEmail')} hint={t('fromEmailHint')} error={<FieldError name="FromEmail" />}>
              <Input name="FromEmail" type="email" value={f.FromEmail} onChange={(e) => set('FromEmail', e.target.value)} maxLength={320} />
            </Field>
          </div>
          <fieldset className="grid gap-4 rounded-md border p-3" disabled={!canEditSmtp}>
            <legend className="px-1 text-sm font-medium">{t('server')}</legend>
            {!canEditSmtp && <p className="text-xs text-muted-foreground">{t('smtpTopLevelOnly')}</p>}
            <Field label={t('mode')}>
              <NativeSelect value={f.Mode} onChange={(e) => set('Mode', e.target.value)} className="sm:w-80">
                {!isServer && <option value="">{t('modes.inherit')}</option>}
                <option value="smtp">{t('modes.smtp')}</option>
                <option value="smtp-ssl">{t('modes.smtpSsl')}</option>
                <option value="disabled">{t('modes.disabled')}</option>
                {isServer && f.Mode === '' && <option value="">{t('modes.notSet')}</option>}
              </NativeSelect>
            </Field>
            {smtp && (
              <>
                <div className="grid gap-4 sm:grid-cols-[2fr_1fr]">
                  <Field label={t('host')} error={<FieldError name="SMTPHost" />}>
                    <Input name="SMTPHost" value={f.SMTPHost} onChange={(e) => set('SMTPHost', e.target.value)} required autoComplete="off" />
                  </Field>
                  <Field label={t('port')} hint={t('portHint')} error={<FieldError name="SMTPPort" />}>
                    <Input name="SMTPPort" type="number" min={0} max={65535} value={f.SMTPPort || ''} onChange={(e) => set('SMTPPort', Number(e.target.value) || 0)} />
                  </Field>
                </div>
                <div className="grid gap-4 sm:grid-cols-2">
                  <Field label={t('username')}>
                    <Input value={f.SMTPUsername} onChange={(e) => set('SMTPUsername', e.target.value)} autoComplete="off" />
                  </Field>
                  <Field label={t('password')} hint={t('passwordHint')}>
                    <Input type="password" value={f.SMTPPassword} onChange={(e) => set('SMTPPassword', e.target.value)} autoComplete="new-password" />
                  </Field>
                </div>
                <label className="flex items-center gap-2 text-sm">
                  <Checkbox checked={f.SMTPAllowUnencrypted} onChange={(e) => set('SMTPAllowUnencrypted', e.target.checked)} />
                  {t('allowUnencrypted')}
                </label>
                <label className="flex items-center gap-2 text-sm">
                  <Checkbox checked={f.SMTPAllowInvalidCertificate} onChange={(e) => set('SMTPAllowInvalidCertificate', e.target.checked)} />
                  {t('allowInvalidCertificate')}
                </label>
              </>
            )}
          </fieldset>
          {saving.error && !errorInput && <Alert tone="error">{saving.error}</Alert>}
          {note && (
            <p className="text-sm text-success" role="status">
              {note}
            </p>
          )}
          <div className="flex flex-wrap items-center gap-2">
            <Button type="submit" disabled={saving.pending}>
              {t('save')}
            </Button>
            <span className="ms-auto flex flex-wrap items-center gap-2">
              <Input name="recipient" type="email" aria-label={t('testRecipient')} placeholder={t('testRecipient')} className="h-9 w-64" value={recipient} onChange={(e) => setRecipient(e.target.value)} />
              <Button
                type="button"
                variant="outline"
                disabled={testing.pending || !recipient.trim()}
                onClick={() => {
                  setNote('');
                  testing.run(() => sendTestEmail(f, recipient), () => setNote(t('testSent', { recipient: recipient.trim() })));
                }}
              >
                <Send /> {t('sendTest')}
              </Button>
            </span>
          </div>
          {testing.error && (errorInput === 'recipient' ? <FieldError name="recipient" /> : !errorInput && <Alert tone="error">{testing.error}</Alert>)}
          </FieldErrorsProvider>
        </form>
      </CardContent>
    </Card>
  );
}

function ReportsCard({ org, options, fields, tenants, newReport }: Props) {
  const t = useTranslations('settings.email.reports');
  const tt = useTranslations('settings.email.types');
  const te = useTranslations('settings.email.editor');
  const router = useRouter();
  const act = useApiAction();
  const [editing, setEditing] = useState<{ index: number; option: ReportOption } | null>(null);
  const [note, setNote] = useState('');
  const reports = options.EmailReportingOptions ?? [];
  const languageName = useLanguageName();
  const language = (code: string) => languageName(code || 'en_US');
  const previewHref = (i: number) => `/settings/email/preview?${new URLSearchParams({ ...(org ? { org } : {}), report: String(i) }).toString()}`;
  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>{t('title')}</CardTitle>
          <CardDescription>{t('description')}</CardDescription>
        </div>
        <Button onClick={() => setEditing({ index: -1, option: newReport })}>
          <Plus /> {t('add')}
        </Button>
      </CardHeader>
      <CardContent className="grid gap-3">
        {note && (
          <p className="text-sm text-success" role="status">
            {note}
          </p>
        )}
        {act.error && <Alert tone="error">{act.error}</Alert>}
        {reports.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('empty')}</p>
        ) : (
          <Table>
            <THead>
              <TR className="hover:bg-transparent">
                <TH>{t('type')}</TH>
                <TH>{t('schedule')}</TH>
                <TH>{t('recipients')}</TH>
                <TH>{t('language')}</TH>
                <TH>{t('filter')}</TH>
                <TH className="text-end">{t('actions')}</TH>
              </TR>
            </THead>
            <TBody>
              {reports.map((r, i) => {
                const rules = ruleCount(r.EmailReportConfig.Filter);
                return (
                  <TR key={i} data-testid="email-report-row">
                    <TD className="font-medium">{tt(REPORT_TYPE_KEY[r.EmailReportConfig.ReportType] ?? 'summary')}</TD>
                    <TD>
                      <ScheduleText config={r.EmailReportConfig} />
                      {r.LocalTimezone && <span className="block text-xs text-muted-foreground">{r.LocalTimezone}</span>}
                    </TD>
                    <TD className="max-w-64 truncate" title={(r.Recipients ?? []).join(', ')}>
                      {(r.Recipients ?? []).join(', ') || '—'}
                    </TD>
                    <TD>{language(r.LanguageCode)}</TD>
                    <TD className="text-muted-foreground">{rules === 0 ? t('allJobs') : t('rules', { count: rules })}</TD>
                    <TD className="text-end">
                      <span className="inline-flex flex-wrap justify-end gap-1">
                        <Button asChild variant="outline" size="sm">
                          <Link href={previewHref(i)}>
                            <Eye /> {t('preview')}
                          </Link>
                        </Button>
                        <Button
                          variant="outline"
                          size="sm"
                          disabled={act.pending}
                          onClick={() => {
                            setNote('');
                            act.run(() => sendTestReport(org, r), () => setNote(te('testSent', { recipients: (r.Recipients ?? []).join(', ') })));
                          }}
                        >
                          <Send /> {t('sendTest')}
                        </Button>
                        <Button variant="ghost" size="icon" aria-label={t('edit', { n: i + 1 })} onClick={() => setEditing({ index: i, option: r })}>
                          <Pencil />
                        </Button>
                        <Button
                          variant="ghost"
                          size="icon"
                          aria-label={t('delete', { n: i + 1 })}
                          disabled={act.pending}
                          onClick={() => {
                            if (window.confirm(t('deleteConfirm'))) act.run(() => deleteReport(org, i, r, te('changed')), () => router.refresh());
                          }}
                        >
                          <Trash2 />
                        </Button>
                      </span>
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </CardContent>
      {editing && (
        <ReportEditor
          org={org}
          initial={editing.option}
          actions={adminReportActions(editing.index, editing.index >= 0 ? editing.option : null, te('changed'))}
          fields={fields}
          tenants={tenants}
          title={editing.index < 0 ? t('addTitle') : t('editTitle')}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setNote(t('saved'));
            router.refresh();
          }}
        />
      )}
    </Card>
  );
}

function DeliveriesCard({ deliveries, status, tenants, onStatus }: Props & { onStatus: (s: string) => void }) {
  const t = useTranslations('settings.email.deliveries');
  const format = useFormatter();
  const router = useRouter();
  const time = (s: number) => (s ? format.dateTime(new Date(s * 1000), { dateStyle: 'short', timeStyle: 'medium' }) : '—');
  const tone = (s: EmailDeliveryRow['DeliveryStatus']) => (s === 'sent' ? 'success' : s === 'failed' ? 'destructive' : s === 'skipped' ? 'secondary' : 'warning');
  const orgName = (r: EmailDeliveryRow) => tenants?.find((o) => o.id === r.OrganizationID)?.name;
  return (
    <Card data-testid="email-deliveries">
      <CardHeader className="flex-row items-start justify-between gap-3">
        <div className="grid gap-1">
          <CardTitle>{t('title')}</CardTitle>
          <CardDescription>{t('description')}</CardDescription>
        </div>
        <span className="flex items-center gap-2">
          <NativeSelect aria-label={t('status')} className="h-8 w-40 py-0" value={status} onChange={(e) => onStatus(e.target.value)}>
            <option value="">{t('all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`statuses.${s}`)}
              </option>
            ))}
          </NativeSelect>
          <Button variant="outline" size="sm" onClick={() => router.refresh()}>
            <RefreshCw /> {t('refresh')}
          </Button>
        </span>
      </CardHeader>
      <CardContent>
        {deliveries.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('empty')}</p>
        ) : (
          <Table scrollLabel={t('title')}>
            <THead>
              <TR className="hover:bg-transparent">
                <TH>{t('created')}</TH>
                <TH>{t('recipient')}</TH>
                <TH>{t('subject')}</TH>
                <TH>{t('status')}</TH>
                <TH>{t('attempts')}</TH>
                <TH>{t('sent')}</TH>
              </TR>
            </THead>
            <TBody>
              {deliveries.map((d) => (
                <TR key={d.ID} data-testid="email-delivery-row">
                  <TD className="text-xs">{time(d.Created)}</TD>
                  <TD>
                    {d.Recipient}
                    {tenants && orgName(d) && <span className="block text-xs text-muted-foreground">{orgName(d)}</span>}
                  </TD>
                  <TD className="max-w-80 truncate" title={d.Subject}>
                    {d.Subject}
                  </TD>
                  <TD>
                    <Badge variant={tone(d.DeliveryStatus)}>{t(`statuses.${d.DeliveryStatus}`)}</Badge>
                    {d.LastError && (
                      <span className="block max-w-72 truncate text-xs text-destructive" title={d.LastError}>
                        {d.LastError}
                      </span>
                    )}
                  </TD>
                  <TD className="tabular-nums">{d.Attempts}</TD>
                  <TD className="text-xs">{time(d.Sent)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
