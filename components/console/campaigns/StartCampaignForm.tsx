'use client';
// The start form of a bulk upgrade campaign: which versions to update, whether running jobs may be
// interrupted, the device filter (the job search's query builder over device fields) and Halley's staged
// rollout. Errors (an unknown field, a bad regular expression) are shown under the form as the server says.
import { Rocket } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { TenantOption } from '@/lib/adapters/console/tenant-options';
import { startCampaign } from '../../../app/(console)/campaigns/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Checkbox, Field, Input } from '../../ui/input';
import { clauseOf, QueryBuilder, rootFrom, type FieldInfo } from '../jobs/QueryBuilder';
import { useApiAction } from '../use-api-action';

type Flags = { UpgradeOlder: boolean; ReinstallCurrentVer: boolean; DowngradeNewer: boolean; ForceUpgradeRunning: boolean; ApplyDeviceFilter: boolean };

const FLAG_KEYS = ['UpgradeOlder', 'ReinstallCurrentVer', 'DowngradeNewer', 'ForceUpgradeRunning', 'ApplyDeviceFilter'] as const;

export function StartCampaignForm({ fields, tenants, targetVersion, onStarted }: { fields: FieldInfo[]; tenants: TenantOption[] | null; targetVersion: string; onStarted: () => void }) {
  const t = useTranslations('campaigns');
  const [flags, setFlags] = useState<Flags>({ UpgradeOlder: true, ReinstallCurrentVer: false, DowngradeNewer: false, ForceUpgradeRunning: false, ApplyDeviceFilter: false });
  const [filter, setFilter] = useState(() => rootFrom({ ClauseType: 'and', ClauseChildren: [{ ClauseType: '', RuleField: 'PlatformOS', RuleOperator: 'str_eq', RuleValue: 'linux' }] }));
  const [canary, setCanary] = useState('0');
  const [batch, setBatch] = useState('0');
  const [threshold, setThreshold] = useState('0');
  const action = useApiAction();
  const num = (v: string) => (v.trim() === '' ? 0 : Number(v));
  const bad = [canary, batch, threshold].some((v) => !Number.isInteger(num(v)) || num(v) < 0);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (bad) return action.setError(t('form.badNumber'));
    action.run(
      () =>
        startCampaign({
          Options: { Active: true, ...flags, DeviceFilter: flags.ApplyDeviceFilter ? clauseOf(filter) : { ClauseType: 'and', ClauseChildren: [] } },
          CanaryPercent: num(canary),
          BatchSize: num(batch),
          FailureThresholdPercent: num(threshold),
        }),
      onStarted,
    );
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('form.title')}</CardTitle>
        <CardDescription>{t('form.description', { version: targetVersion })}</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-5" onSubmit={submit} aria-label={t('form.title')}>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t('form.which')}</legend>
            {FLAG_KEYS.map((k) => (
              <label key={k} className="flex items-center gap-2 text-sm">
                <Checkbox name={k} checked={flags[k]} onChange={(e) => setFlags({ ...flags, [k]: e.target.checked })} />
                {t(`form.flags.${k}`)}
              </label>
            ))}
          </fieldset>
          {flags.ApplyDeviceFilter && (
            <div className="grid gap-2" data-testid="device-filter">
              <span className="text-sm font-medium">{t('form.filter')}</span>
              <QueryBuilder root={filter} onChange={setFilter} fields={fields} tenants={tenants} />
            </div>
          )}
          <fieldset className="grid gap-3 sm:grid-cols-3">
            <legend className="mb-1 text-sm font-medium">{t('form.rollout')}</legend>
            <Field label={t('form.canary')} hint={t('form.canaryHint')}>
              <Input name="CanaryPercent" inputMode="numeric" value={canary} onChange={(e) => setCanary(e.target.value)} />
            </Field>
            <Field label={t('form.batch')} hint={t('form.batchHint')}>
              <Input name="BatchSize" inputMode="numeric" value={batch} onChange={(e) => setBatch(e.target.value)} />
            </Field>
            <Field label={t('form.threshold')} hint={t('form.thresholdHint')}>
              <Input name="FailureThresholdPercent" inputMode="numeric" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
            </Field>
          </fieldset>
          {action.error && (
            <Alert tone="error">
              {action.error}
            </Alert>
          )}
          <div>
            <Button type="submit" disabled={action.pending}>
              <Rocket /> {t('form.start')}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
