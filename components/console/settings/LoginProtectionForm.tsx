'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { saveLoginProtection } from '../../../app/(console)/settings/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Checkbox, Field, Input } from '../../ui/input';
import { useApiAction } from '../use-api-action';
import { useDirtyForm } from '../use-unsaved-warning';

export function LoginProtectionForm({ options }: { options: { Enabled: boolean; FailureThreshold: number; CooldownSeconds: number } }) {
  const unsaved = useDirtyForm();
  const t = useTranslations('settings.loginProtection');
  const tc = useTranslations('common');
  const { run, pending, error } = useApiAction();
  const [enabled, setEnabled] = useState(options.Enabled);
  const [saved, setSaved] = useState(false);
  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          onChange={unsaved.markDirty}
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            setSaved(false);
            run(
              () => saveLoginProtection({ Enabled: enabled, FailureThreshold: Number(f.get('threshold') ?? options.FailureThreshold), CooldownSeconds: Number(f.get('cooldown') ?? options.CooldownSeconds) }),
              () => {
              unsaved.markClean();
              setSaved(true);
            },
            );
          }}
        >
          <label className="flex items-center gap-2 text-sm">
            <Checkbox checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> {t('enabled')}
          </label>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('threshold')} hint={t('thresholdHint')}>
              <Input name="threshold" type="number" min={1} max={1000} defaultValue={options.FailureThreshold} disabled={!enabled} />
            </Field>
            <Field label={t('cooldown')} hint={t('cooldownHint')}>
              <Input name="cooldown" type="number" min={1} max={86400} defaultValue={options.CooldownSeconds} disabled={!enabled} />
            </Field>
          </div>
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={pending}>
              {tc('save')}
            </Button>
            {saved && (
              <span role="status" className="text-sm text-success">
                {tc('saved')}
              </span>
            )}
          </div>
          {error && <Alert tone="error">{error}</Alert>}
        </form>
      </CardContent>
    </Card>
  );
}
