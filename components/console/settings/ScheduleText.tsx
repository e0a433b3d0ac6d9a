'use client';
// When a report is sent, in words: "After each job", "Every Monday at 08:00", "Custom schedule"...
import { useTranslations } from 'next-intl';
import { clockText, IMMEDIATE, pickFromSchedule, type ReportOption } from '@/lib/adapters/console/email-reports';

export function ScheduleText({ config }: { config: ReportOption['EmailReportConfig'] }) {
  const t = useTranslations('settings.email.editor');
  const cfg = config;
  if ((cfg.ReportType ?? IMMEDIATE) === IMMEDIATE) return <>{t('afterEachJob')}</>;
  const all = cfg.SummaryFrequency ?? [];
  if (!all.length) return <span className="text-muted-foreground">{t('noSchedule')}</span>;
  const p = pickFromSchedule(all[0]);
  const first = !p
    ? t('customScheduleShort')
    : p.frequency === 'hourly'
      ? t('summary.hourly', { minute: String(p.minute).padStart(2, '0') })
      : p.frequency === 'daily'
        ? t('summary.daily', { time: clockText(p.time) })
        : p.frequency === 'weekly'
          ? t('summary.weekly', { day: t(`weekdays.${p.weekday as 0}`), time: clockText(p.time) })
          : t('summary.monthly', { day: p.monthDay, time: clockText(p.time) });
  return (
    <>
      {first}
      {all.length > 1 && <span className="text-muted-foreground"> {t('moreSchedules', { count: all.length - 1 })}</span>}
    </>
  );
}
