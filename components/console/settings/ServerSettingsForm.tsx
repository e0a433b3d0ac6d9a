'use client';
// Settings → Server: the server-wide settings no other page owns (session lifetime, server log retention, the
// license details), written through admin/meta/server-config/set like any API client would, refusals shown
// next to their field in the UI language. The rest of ServerConfigOptions is edited on its own page (links
// below the form) or in the raw editor.
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { saveServerSettings } from '../../../app/(console)/settings/server/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Field, Input } from '../../ui/input';
import { FieldError, FieldErrorsProvider, fieldForError } from '../field-errors';
import { useApiAction } from '../use-api-action';
import { useDirtyForm } from '../use-unsaved-warning';

type ServerSettingsValues = { sessionSeconds: number; defaultSessionSeconds: number; logRetentionDays: number; licenseEmail: string; licenseSerial: string };

/** API field (suffix) → input, and the input's own message in the UI language. */
const FIELDS = {
  sessionMinutes: ['.SessionSettings.ExpiredInSeconds'],
  logRetentionDays: ['.HalleyServerLogs.RetentionDays'],
  licenseEmail: ['.License.Email'],
  licenseSerial: ['.License.SerialNumber'],
} as const;

export function ServerSettingsForm({ values }: { values: ServerSettingsValues }) {
  const t = useTranslations('serverOps.config');
  const tc = useTranslations('common');
  const { run, pending, error, errorField, setError } = useApiAction();
  const { markDirty, markClean } = useDirtyForm();
  const [saved, setSaved] = useState(false);
  // The field the API named (matched on the end of its path: "SessionSettings.ExpiredInSeconds").
  const field = fieldForError(undefined, FIELDS, errorField ? `.${errorField}` : undefined) as keyof typeof FIELDS | undefined;
  const messages: Record<keyof typeof FIELDS, string> = {
    sessionMinutes: t('sessionInvalid'),
    logRetentionDays: t('logRetentionInvalid'),
    licenseEmail: t('licenseEmailInvalid'),
    licenseSerial: t('licenseSerialInvalid'),
  };
  const errors: Record<string, string> = field ? { [field]: messages[field] } : {};
  const invalid = (name: keyof typeof FIELDS) => (field === name ? { 'aria-invalid': true, 'aria-describedby': `field-error-${name}` } : {});
  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          data-testid="server-settings"
          noValidate
          onChange={() => {
            markDirty();
            setSaved(false);
            if (error) setError('');
          }}
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const text = (name: string) => String(f.get(name) ?? '');
            setSaved(false);
            run(
              () => saveServerSettings({ sessionMinutes: text('sessionMinutes'), logRetentionDays: text('logRetentionDays'), licenseEmail: text('licenseEmail'), licenseSerial: text('licenseSerial') }),
              () => {
                markClean();
                setSaved(true);
              },
            );
          }}
        >
          <FieldErrorsProvider errors={errors}>
            <Field label={t('sessionMinutes')} hint={t('sessionHint', { minutes: Math.round(values.defaultSessionSeconds / 60) })} error={<FieldError name="sessionMinutes" />}>
              <Input name="sessionMinutes" className="max-w-48" inputMode="decimal" defaultValue={values.sessionSeconds ? String(values.sessionSeconds / 60) : ''} placeholder={String(Math.round(values.defaultSessionSeconds / 60))} {...invalid('sessionMinutes')} />
            </Field>
            <Field label={t('logRetentionDays')} hint={t('logRetentionHint')} error={<FieldError name="logRetentionDays" />}>
              <Input name="logRetentionDays" className="max-w-48" inputMode="numeric" defaultValue={String(values.logRetentionDays)} {...invalid('logRetentionDays')} />
            </Field>
            <Field label={t('licenseEmail')} hint={t('licenseHint')} error={<FieldError name="licenseEmail" />}>
              <Input name="licenseEmail" type="email" className="max-w-md" defaultValue={values.licenseEmail} {...invalid('licenseEmail')} />
            </Field>
            <Field label={t('licenseSerial')} error={<FieldError name="licenseSerial" />}>
              <Input name="licenseSerial" className="max-w-md" defaultValue={values.licenseSerial} {...invalid('licenseSerial')} />
            </Field>
          </FieldErrorsProvider>
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={pending}>
              {tc('save')}
            </Button>
            {saved && (
              <span role="status" className="text-sm text-success">
                {t('savedEverywhere')}
              </span>
            )}
          </div>
          {error && !field && <Alert tone="error">{error}</Alert>}
        </form>
      </CardContent>
    </Card>
  );
}
