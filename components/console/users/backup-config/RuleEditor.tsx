'use client';
// Add / edit / duplicate a Backup Rule (BackupRuleConfig): which Protected Item goes to which Storage
// Vault, its schedules (hourly within a time window and on chosen days, daily, weekly, monthly, yearly,
// periodic, once), "run at start-up if the last job was missed", the random delay (with the policy's and
// the user's server-side override shown) and when the retention pass runs. Every schedule shows its next
// five runs in the device's time zone (lib/schedules/next-runs.ts).
import { useFormatter, useTranslations } from 'next-intl';
import { useState } from 'react';
import { AutoRetentionLevel, SCHEDULE_FREQUENCY as F } from '../../../../lib/comet/constants';
import { effectiveRandomDelay, nextRuns, type TScheduleConfig } from '../../../../lib/schedules/next-runs';
import type { TConfigIssue } from '../../../../lib/profile/validate-backup-config';
import { Alert } from '../../../ui/alert';
import { Button } from '../../../ui/button';
import { Checkbox, Input, NativeSelect } from '../../../ui/input';
import { Dialog, DialogContent } from '../../../ui/dialog';
import { DialogActions } from '../../FormDialog';
import { EditField, FieldError, OtherIssues, setPath, useEntrySave, type Json, type Path } from './shared';
import { useDirtyForm } from '../../use-unsaved-warning';
import { useFormat } from '../../format';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const FREQUENCIES: Array<[number, string]> = [
  [F.SCHEDULE_FREQUENCY_HOURLY, 'hourly'],
  [F.SCHEDULE_FREQUENCY_DAILY, 'daily'],
  [F.SCHEDULE_FREQUENCY_WEEKLY, 'weekly'],
  [F.SCHEDULE_FREQUENCY_MONTHLY, 'monthly'],
  [F.SCHEDULE_FREQUENCY_YEARLY, 'yearly'],
  [F.SCHEDULE_FREQUENCY_PERIODIC, 'periodic'],
  [F.SCHEDULE_FREQUENCY_ONCEONLY, 'once'],
];
const RETENTION_LEVELS = Object.entries(AutoRetentionLevel).map(([k, v]) => [v, k.replace('BACKUPJOBAUTORETENTION_', '').toLowerCase()] as const);

type RuleEditorState = { id: string; rule: Json; mode: 'add' | 'edit' | 'duplicate' };
export type ScheduleContext = { timeZone: string; policyDelay: number; serverDelay: number };

const hhmm = (secs: number) => `${String(Math.floor(secs / 3600) % 24).padStart(2, '0')}:${String(Math.floor(secs / 60) % 60).padStart(2, '0')}`;
const fromHhmm = (v: string) => {
  const [h, m] = v.split(':').map(Number);
  return (h || 0) * 3600 + (m || 0) * 60;
};

export function newSchedule(): TScheduleConfig {
  return { FrequencyType: F.SCHEDULE_FREQUENCY_DAILY, SecondsPast: 22 * 3600, RestrictRuntime: false, FromTime: { Hour: 0, Minutes: 0 }, ToTime: { Hour: 0, Minutes: 0 }, RestrictDays: false, DaysSelect: Object.fromEntries(DAYS.map((d) => [d, false])), SelectedMonth: 1, SelectedDay: 1 };
}

export function RuleEditor(props: {
  username: string;
  hash: string;
  state: RuleEditorState;
  items: Record<string, { Description?: string; OwnerDevice?: string }>;
  vaults: Record<string, { Description?: string }>;
  zoneFor: (itemId: string) => ScheduleContext;
  onClose: () => void;
}) {
  const t = useTranslations('backupConfig');
  const tf = useTranslations('backupConfig.fields');
  const tc = useTranslations('common');
  const unsaved = useDirtyForm();
  const [draft, setDraft] = useState<Json>(props.state.rule);
  const { save, pending, error, issues } = useEntrySave(props.username, props.hash, 'BackupRules');
  const set = (path: Path, v: unknown) => setDraft((d) => setPath(d, path, v));
  const schedules = (draft.Schedules as TScheduleConfig[] | undefined) ?? [];
  const triggers = (draft.EventTriggers ?? {}) as Json;
  const ctx = props.zoneFor(String(draft.Source ?? ''));
  const shown = ['Description', 'Source', 'Destination', ...schedules.flatMap((_, i) => ['FrequencyType', 'SecondsPast', 'SelectedDay', 'SelectedMonth', 'DaysSelect', 'RandomDelaySecs', 'FromTime.Hour', 'FromTime.Minutes', 'ToTime.Hour', 'ToTime.Minutes'].map((k) => `Schedules.${i}.${k}`))];

  return (
    <Dialog open onOpenChange={(o) => !o && props.onClose()}>
      <DialogContent title={t(`rule.${props.state.mode}Title`)} className="max-h-[90vh] max-w-3xl overflow-y-auto" closeLabel={tc('close')}>
        <form
          onChange={unsaved.markDirty}
          className="grid gap-4"
          data-testid="rule-editor"
          onSubmit={(e) => {
            e.preventDefault();
            save(props.state.id, draft, props.onClose);
          }}
        >
          <div className="grid gap-4 sm:grid-cols-3">
            <EditField label={tf('Description')} issues={issues} path={['Description']}>
              <Input name="Description" value={String(draft.Description ?? '')} onChange={(e) => set(['Description'], e.target.value)} />
            </EditField>
            <EditField label={tf('Source')} issues={issues} path={['Source']}>
              <NativeSelect name="Source" value={String(draft.Source ?? '')} onChange={(e) => set(['Source'], e.target.value)}>
                <option value="">—</option>
                {Object.entries(props.items).map(([id, i]) => (
                  <option key={id} value={id}>
                    {i.Description || id}
                  </option>
                ))}
              </NativeSelect>
            </EditField>
            <EditField label={tf('Destination')} issues={issues} path={['Destination']}>
              <NativeSelect name="Destination" value={String(draft.Destination ?? '')} onChange={(e) => set(['Destination'], e.target.value)}>
                <option value="">—</option>
                {Object.entries(props.vaults).map(([id, v]) => (
                  <option key={id} value={id}>
                    {v.Description || id}
                  </option>
                ))}
              </NativeSelect>
            </EditField>
          </div>
          <div className="grid gap-2 sm:grid-cols-2">
            <label className="flex items-center gap-2 text-sm">
              <Checkbox name="OnPCBoot" checked={triggers.OnPCBoot === true} onChange={(e) => set(['EventTriggers', 'OnPCBoot'], e.target.checked)} /> {t('rule.onBoot')}
            </label>
            <label className="flex items-center gap-2 text-sm">
              <Checkbox name="OnPCBootIfLastJobMissed" checked={triggers.OnPCBootIfLastJobMissed === true} onChange={(e) => set(['EventTriggers', 'OnPCBootIfLastJobMissed'], e.target.checked)} /> {t('rule.ifMissed')}
            </label>
            <EditField label={t('rule.retentionPass')} hint={t('rule.retentionPassHint')} issues={issues} path={['AutoRetentionLevel']}>
              <NativeSelect name="AutoRetentionLevel" value={Number(draft.AutoRetentionLevel ?? 0)} onChange={(e) => set(['AutoRetentionLevel'], Number(e.target.value))}>
                {RETENTION_LEVELS.map(([v, k]) => (
                  <option key={v} value={v}>
                    {t(`rule.retentionLevels.${k}` as 'rule.retentionLevels.automatic')}
                  </option>
                ))}
              </NativeSelect>
            </EditField>
            <label className="flex items-center gap-2 self-end text-sm">
              <Checkbox name="SkipAlreadyRunning" checked={draft.SkipAlreadyRunning === true} onChange={(e) => set(['SkipAlreadyRunning'], e.target.checked)} /> {t('rule.skipAlreadyRunning')}
            </label>
          </div>
          <fieldset className="grid gap-3">
            <legend className="mb-2 text-sm font-medium">{t('rule.schedules')}</legend>
            {schedules.length === 0 && <p className="text-sm text-muted-foreground">{t('rule.noSchedules')}</p>}
            {schedules.map((s, i) => (
              <ScheduleRow key={i} index={i} schedule={s} ctx={ctx} issues={issues} onChange={(next) => set(['Schedules'], next ? schedules.map((x, j) => (j === i ? next : x)) : schedules.filter((_, j) => j !== i))} />
            ))}
            <div>
              <Button type="button" variant="outline" size="sm" onClick={() => set(['Schedules'], [...schedules, newSchedule()])}>
                {t('rule.addSchedule')}
              </Button>
            </div>
          </fieldset>
          <OtherIssues issues={issues} shown={shown} />
          {error && <Alert tone="error">{error}</Alert>}
          <DialogActions onCancel={props.onClose} submitLabel={t('save')} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}

function ScheduleRow({ index, schedule: s, ctx, issues, onChange }: { index: number; schedule: TScheduleConfig; ctx: ScheduleContext; issues: TConfigIssue[]; onChange: (s: TScheduleConfig | null) => void }) {
  const t = useTranslations('backupConfig.schedule');
  const format = useFormatter();
  const fmt = useFormat();
  const at = (...k: Array<string | number>): Path => ['Schedules', index, ...k];
  const freq = s.FrequencyType ?? F.SCHEDULE_FREQUENCY_DAILY;
  const secs = s.SecondsPast ?? 0;
  const upd = (patch: Partial<TScheduleConfig>) => onChange({ ...s, ...patch });
  const delay = effectiveRandomDelay({ schedule: s.RandomDelaySecs, policy: ctx.policyDelay, server: ctx.serverDelay });
  const runs = nextRuns(s, { after: Date.now(), timeZone: ctx.timeZone, count: 5 });
  const daysAlways = freq === F.SCHEDULE_FREQUENCY_WEEKLY;
  return (
    <div className="grid gap-3 rounded-md border p-3" data-schedule={index}>
      <div className="flex flex-wrap items-end gap-3">
        <EditField label={t('frequency')} issues={issues} path={at('FrequencyType')}>
          <NativeSelect name={`Schedules.${index}.FrequencyType`} value={freq} onChange={(e) => upd({ FrequencyType: Number(e.target.value), SecondsPast: Number(e.target.value) === F.SCHEDULE_FREQUENCY_PERIODIC ? 3600 : Number(e.target.value) === F.SCHEDULE_FREQUENCY_ONCEONLY ? Math.floor(Date.now() / 1000) + 3600 : 0 })}>
            {FREQUENCIES.map(([v, k]) => (
              <option key={v} value={v}>
                {t(`frequencies.${k}` as 'frequencies.daily')}
              </option>
            ))}
          </NativeSelect>
        </EditField>
        {freq === F.SCHEDULE_FREQUENCY_HOURLY && (
          <EditField label={t('minutePast')} issues={issues} path={at('SecondsPast')}>
            <Input name={`Schedules.${index}.minute`} type="number" min={0} max={59} className="w-24" value={Math.floor(secs / 60)} onChange={(e) => upd({ SecondsPast: Math.trunc(Number(e.target.value)) * 60 })} />
          </EditField>
        )}
        {[F.SCHEDULE_FREQUENCY_DAILY, F.SCHEDULE_FREQUENCY_WEEKLY, F.SCHEDULE_FREQUENCY_MONTHLY, F.SCHEDULE_FREQUENCY_YEARLY].includes(freq as 8011) && (
          <EditField label={t('time')} issues={issues} path={at('SecondsPast')}>
            <Input name={`Schedules.${index}.time`} type="time" className="w-32" value={hhmm(secs)} onChange={(e) => upd({ SecondsPast: fromHhmm(e.target.value) })} />
          </EditField>
        )}
        {freq === F.SCHEDULE_FREQUENCY_PERIODIC && (
          <EditField label={t('everyMinutes')} issues={issues} path={at('SecondsPast')}>
            <Input name={`Schedules.${index}.period`} type="number" min={1} className="w-28" value={Math.floor(secs / 60)} onChange={(e) => upd({ SecondsPast: Math.trunc(Number(e.target.value)) * 60 })} />
          </EditField>
        )}
        {freq === F.SCHEDULE_FREQUENCY_ONCEONLY && (
          <EditField label={t('onceAt', { zone: fmt.timeZone })} issues={issues} path={at('SecondsPast')}>
            {/* A moment in time (Unix seconds), entered in the admin's own zone like every other date in the console. */}
            <Input name={`Schedules.${index}.once`} type="datetime-local" value={secs > 0 ? fmt.toInput(secs) : ''} onChange={(e) => upd({ SecondsPast: e.target.value ? fmt.fromInput(e.target.value) || 0 : 0 })} />
          </EditField>
        )}
        {(freq === F.SCHEDULE_FREQUENCY_MONTHLY || freq === F.SCHEDULE_FREQUENCY_YEARLY) && (
          <EditField label={t('dayOfMonth')} issues={issues} path={at('SelectedDay')}>
            <Input name={`Schedules.${index}.SelectedDay`} type="number" min={1} max={31} className="w-20" value={s.SelectedDay ?? 1} onChange={(e) => upd({ SelectedDay: Math.trunc(Number(e.target.value)) })} />
          </EditField>
        )}
        {freq === F.SCHEDULE_FREQUENCY_YEARLY && (
          <EditField label={t('month')} issues={issues} path={at('SelectedMonth')}>
            <Input name={`Schedules.${index}.SelectedMonth`} type="number" min={1} max={12} className="w-20" value={s.SelectedMonth ?? 1} onChange={(e) => upd({ SelectedMonth: Math.trunc(Number(e.target.value)) })} />
          </EditField>
        )}
        <Button type="button" variant="ghost" size="sm" className="ms-auto" onClick={() => onChange(null)}>
          {t('remove')}
        </Button>
      </div>
      <div className="grid gap-2">
        {!daysAlways && (
          <label className="flex items-center gap-2 text-sm">
            <Checkbox name={`Schedules.${index}.RestrictDays`} checked={s.RestrictDays === true} onChange={(e) => upd({ RestrictDays: e.target.checked })} /> {t('restrictDays')}
          </label>
        )}
        {(daysAlways || s.RestrictDays) && (
          <div className="flex flex-wrap gap-3 ps-6">
            {DAYS.map((d) => (
              <label key={d} className="flex items-center gap-1 text-sm">
                <Checkbox name={`Schedules.${index}.DaysSelect.${d}`} checked={s.DaysSelect?.[d] === true} onChange={(e) => upd({ DaysSelect: { ...(s.DaysSelect ?? {}), [d]: e.target.checked } })} /> {t(`days.${d}`)}
              </label>
            ))}
          </div>
        )}
        <FieldError issues={issues} path={at('DaysSelect')} />
        {(freq === F.SCHEDULE_FREQUENCY_HOURLY || freq === F.SCHEDULE_FREQUENCY_PERIODIC) && (
          <>
            <label className="flex items-center gap-2 text-sm">
              <Checkbox name={`Schedules.${index}.RestrictRuntime`} checked={s.RestrictRuntime === true} onChange={(e) => upd({ RestrictRuntime: e.target.checked })} /> {t('restrictRuntime')}
            </label>
            {s.RestrictRuntime && (
              <div className="flex flex-wrap items-center gap-2 ps-6 text-sm">
                {t('between')}
                <Input aria-label={t('from')} name={`Schedules.${index}.FromTime`} type="time" className="w-32" value={hhmm((s.FromTime?.Hour ?? 0) * 3600 + (s.FromTime?.Minutes ?? 0) * 60)} onChange={(e) => { const v = fromHhmm(e.target.value); upd({ FromTime: { Hour: Math.floor(v / 3600), Minutes: Math.floor(v / 60) % 60 } }); }} />
                {t('and')}
                <Input aria-label={t('to')} name={`Schedules.${index}.ToTime`} type="time" className="w-32" value={hhmm((s.ToTime?.Hour ?? 0) * 3600 + (s.ToTime?.Minutes ?? 0) * 60)} onChange={(e) => { const v = fromHhmm(e.target.value); upd({ ToTime: { Hour: Math.floor(v / 3600), Minutes: Math.floor(v / 60) % 60 } }); }} />
                <FieldError issues={issues} path={at('FromTime', 'Hour')} />
                <FieldError issues={issues} path={at('ToTime', 'Hour')} />
              </div>
            )}
          </>
        )}
        <div className="flex flex-wrap items-end gap-3">
          <EditField label={t('randomDelay')} issues={issues} path={at('RandomDelaySecs')}>
            <Input name={`Schedules.${index}.RandomDelaySecs`} type="number" min={0} max={18000} className="w-28" value={s.RandomDelaySecs ?? 0} onChange={(e) => upd({ RandomDelaySecs: Math.trunc(Number(e.target.value)) })} />
          </EditField>
          <span className="pb-2 text-xs text-muted-foreground" data-testid={`effective-delay-${index}`}>
            {delay.source === 'schedule' ? t('delayFromSchedule', { seconds: delay.seconds }) : delay.source === 'policy' ? t('delayFromPolicy', { seconds: delay.seconds }) : t('delayFromServer', { seconds: delay.seconds })}
          </span>
        </div>
      </div>
      <div className="text-sm" data-testid={`next-runs-${index}`}>
        <p className="font-medium">{t('nextRuns', { zone: ctx.timeZone })}</p>
        {runs.length === 0 ? (
          <p className="text-muted-foreground">{t('noRuns')}</p>
        ) : (
          <ol className="list-inside list-decimal text-muted-foreground">
            {runs.map((r) => (
              <li key={r}>{format.dateTime(new Date(r), { dateStyle: 'full', timeStyle: 'short', timeZone: ctx.timeZone })}</li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
