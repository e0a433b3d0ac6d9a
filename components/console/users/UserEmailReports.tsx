'use client';
// A user's email reports: for each address of the profile, the reports it receives (its own
// OverrideEmailSettings, else the policy's default reports, else one email per finished job), each with
// a preview in the user's language; an admin can customise an address's reports or go back to the defaults.
import { Eye, Pencil, Plus, RotateCcw, Trash2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { EmailPreview } from '../../../app/(console)/settings/email/actions';
import { previewUserReport, saveUserReports } from '../../../app/(console)/users/actions';
import { IMMEDIATE, REPORT_TYPE_KEY, ruleCount, weeklySummary, type ReportOption } from '@/lib/adapters/console/email-reports';
import { useLanguageName } from '../language-name';
import { EMPTY_SEARCH } from '@/lib/adapters/console/job-search-url';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import type { FieldInfo } from '../jobs/QueryBuilder';
import { EmailPreviewView } from '../settings/EmailPreviewView';
import { ReportEditor } from '../settings/ReportEditor';
import { ScheduleText } from '../settings/ScheduleText';
import { useApiAction } from '../use-api-action';

type ReportConfig = ReportOption['EmailReportConfig'];
export type EmailReportProfile = {
  Emails?: string[] | null;
  SendEmailReports?: boolean;
  LanguageCode?: string;
  LocalTimezone?: string;
  OverrideEmailSettings?: Record<string, { Reports?: ReportConfig[] | null }> | null;
  Policy?: { DefaultEmailReports?: { ShouldOverrideDefaultReports?: boolean; Reports?: ReportConfig[] | null } | null } | null;
};

/** Halley's default when neither the address nor the policy has reports: one email per finished job. */
const HALLEY_DEFAULT: ReportConfig[] = [{ ReportType: IMMEDIATE, SummaryFrequency: [], Filter: { ClauseType: 'and', ClauseChildren: [] } }];

export function UserEmailReports({ username, profile, fields }: { username: string; profile: EmailReportProfile; fields: FieldInfo[] }) {
  const t = useTranslations('userDetail.reports');
  const languageName = useLanguageName();
  const emails = [...new Set((profile.Emails ?? []).map((e) => e.trim()).filter(Boolean))];
  const policy = profile.Policy?.DefaultEmailReports;
  const defaults = policy?.ShouldOverrideDefaultReports ? { source: 'policy' as const, reports: policy.Reports ?? [] } : { source: 'halley' as const, reports: HALLEY_DEFAULT };
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description', { language: languageName(profile.LanguageCode || 'en_US'), zone: profile.LocalTimezone || 'UTC' })}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {!profile.SendEmailReports && <Alert tone="info">{t('off')}</Alert>}
        {emails.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('noAddress')}</p>
        ) : (
          emails.map((address) => {
            const own = profile.OverrideEmailSettings?.[address]?.Reports;
            return <AddressReports key={address} username={username} address={address} own={own ?? null} defaults={defaults} fields={fields} />;
          })
        )}
      </CardContent>
    </Card>
  );
}

function AddressReports(props: { username: string; address: string; own: ReportConfig[] | null; defaults: { source: 'policy' | 'halley'; reports: ReportConfig[] }; fields: FieldInfo[] }) {
  const t = useTranslations('userDetail.reports');
  const tt = useTranslations('settings.email.types');
  const tc = useTranslations('common');
  const router = useRouter();
  const act = useApiAction();
  const [editing, setEditing] = useState<{ index: number; config: ReportConfig } | null>(null);
  const [preview, setPreview] = useState<EmailPreview | null>(null);
  const reports = props.own ?? props.defaults.reports;
  const source = props.own ? 'custom' : props.defaults.source;
  /** Saves `next` as this address's own list (editing a default makes the address's list its own). */
  const store = (next: ReportConfig[] | null) => saveUserReports(props.username, props.address, props.own, next, t('changed'));
  const asOption = (config: ReportConfig): ReportOption => ({ EmailReportConfig: config, LanguageCode: '', LocalTimezone: '', Recipients: [props.address] });
  return (
    <section className="grid gap-2" data-testid="user-report-address">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-medium">{props.address}</h3>
        <Badge variant={source === 'custom' ? 'default' : 'secondary'}>{t(`source.${source}`)}</Badge>
        <span className="ms-auto flex gap-2">
          <Button variant="outline" size="sm" onClick={() => setEditing({ index: -1, config: weeklySummary(EMPTY_SEARCH, '', '').EmailReportConfig })}>
            <Plus /> {t('add')}
          </Button>
          {props.own && (
            <Button variant="outline" size="sm" disabled={act.pending} onClick={() => act.run(() => store(null), () => router.refresh())}>
              <RotateCcw /> {t('useDefaults')}
            </Button>
          )}
        </span>
      </div>
      {act.error && <Alert tone="error">{act.error}</Alert>}
      {reports.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t('none')}</p>
      ) : (
        <Table>
          <THead>
            <TR className="hover:bg-transparent">
              <TH>{t('type')}</TH>
              <TH>{t('when')}</TH>
              <TH>{t('jobs')}</TH>
              <TH className="text-end">{t('actions')}</TH>
            </TR>
          </THead>
          <TBody>
            {reports.map((r, i) => {
              const rules = ruleCount(r.Filter);
              return (
                <TR key={i} data-testid="user-report-row">
                  <TD className="font-medium">{tt(REPORT_TYPE_KEY[r.ReportType] ?? 'summary')}</TD>
                  <TD>
                    <ScheduleText config={r} />
                  </TD>
                  <TD className="text-muted-foreground">{rules === 0 ? t('allJobs') : t('rules', { count: rules })}</TD>
                  <TD className="text-end">
                    <span className="inline-flex justify-end gap-1">
                      <Button variant="outline" size="sm" disabled={act.pending} onClick={() => act.run(() => previewUserReport(props.username, props.address, r), setPreview)}>
                        <Eye /> {t('preview')}
                      </Button>
                      <Button variant="ghost" size="icon" aria-label={t('edit')} onClick={() => setEditing({ index: i, config: r })}>
                        <Pencil />
                      </Button>
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={t('delete')}
                        disabled={act.pending}
                        onClick={() => {
                          if (window.confirm(t('deleteConfirm'))) act.run(() => store(reports.filter((_, j) => j !== i)), () => router.refresh());
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
      {editing && (
        <ReportEditor
          org=""
          forUser
          initial={asOption(editing.config)}
          fields={props.fields}
          title={t('editorTitle', { address: props.address })}
          actions={{
            save: (o) => store(editing.index < 0 ? [...reports, o.EmailReportConfig] : reports.map((r, j) => (j === editing.index ? o.EmailReportConfig : r))),
            preview: (o) => previewUserReport(props.username, props.address, o.EmailReportConfig),
          }}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            router.refresh();
          }}
        />
      )}
      {preview && (
        <Dialog open onOpenChange={(o) => !o && setPreview(null)}>
          <DialogContent title={t('previewTitle', { address: props.address })} closeLabel={tc('close')} className="max-h-[92vh] max-w-4xl overflow-y-auto">
            <EmailPreviewView preview={preview} />
          </DialogContent>
        </Dialog>
      )}
    </section>
  );
}
