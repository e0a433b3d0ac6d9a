'use client';
// Settings → Security: the server-wide password policy (lib/validation/password-policy.ts).
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { savePasswordPolicy } from '../../../app/(console)/settings/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Checkbox, Field, Input } from '../../ui/input';
import { FieldError, FieldErrorsProvider, fieldForError } from '../field-errors';
import { useApiAction } from '../use-api-action';
import { useUnsavedWarning } from '../use-unsaved-warning';

export function PasswordPolicyForm({ policy }: { policy: { MinLength: number; RejectCommon: boolean } }) {
  const t = useTranslations('security.passwordPolicy');
  const tc = useTranslations('common');
  const { run, pending, error, errorKey, setError } = useApiAction();
  const [saved, setSaved] = useState(false);
  const [dirty, setDirty] = useState(false);
  useUnsavedWarning(dirty);
  const minError = fieldForError(errorKey, { minLength: ['passwordPolicyMinLength'] }) ? error : '';
  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          data-testid="password-policy"
          noValidate
          onChange={() => {
            setDirty(true);
            setSaved(false);
            if (error) setError('');
          }}
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            setSaved(false);
            run(
              () => savePasswordPolicy({ MinLength: Number(f.get('minLength')), RejectCommon: f.get('rejectCommon') === 'on' }),
              () => {
                setDirty(false);
                setSaved(true);
              },
            );
          }}
        >
          <FieldErrorsProvider errors={{ minLength: minError }}>
            <Field label={t('minLength')} hint={t('minLengthHint')} error={<FieldError name="minLength" />}>
              <Input
                name="minLength"
                className="max-w-48"
                type="number"
                inputMode="numeric"
                min={1}
                max={128}
                required
                defaultValue={policy.MinLength}
                aria-invalid={minError ? true : undefined}
                aria-describedby={minError ? 'field-error-minLength' : undefined}
              />
            </Field>
          </FieldErrorsProvider>
          <div className="grid gap-1">
            <label className="flex items-center gap-2 text-sm">
              <Checkbox name="rejectCommon" defaultChecked={policy.RejectCommon} /> {t('rejectCommon')}
            </label>
            <span className="text-xs text-muted-foreground">{t('rejectCommonHint')}</span>
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
          {error && !minError && <Alert tone="error">{error}</Alert>}
        </form>
      </CardContent>
    </Card>
  );
}
