'use client';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useActionState } from 'react';
import { createFirstAdmin, type FirstAdminState } from '../../app/(auth)/setup/actions';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Field, Input } from '../ui/input';
import { FieldError, FieldErrorsProvider, fieldForError, PASSWORD_ERROR_KEYS } from './field-errors';

export function FirstAdminForm() {
  const t = useTranslations('setup');
  const tc = useTranslations('common');
  const [state, formAction, pending] = useActionState<FirstAdminState, FormData>(createFirstAdmin, { ok: false, message: '' });
  if (state.ok) {
    return (
      <div className="grid gap-4">
        <Alert tone="success">{state.message}</Alert>
        <Button asChild>
          <Link href={`/login?username=${encodeURIComponent(state.username ?? '')}`}>{t('continue')}</Link>
        </Button>
      </div>
    );
  }
  const passwordError = fieldForError(state.messageKey, { TargetPassword: PASSWORD_ERROR_KEYS }) ? state.message : '';
  return (
    <form action={formAction} className="grid gap-4">
      <Field label={t('username')}>
        <Input key={state.attempt ?? 0} name="TargetUser" autoComplete="username" required maxLength={255} defaultValue={state.username ?? ''} />
      </Field>
      <FieldErrorsProvider errors={{ TargetPassword: passwordError }}>
        <Field label={t('password')} hint={t('passwordHint')} error={<FieldError name="TargetPassword" />}>
          <Input name="TargetPassword" type="password" autoComplete="new-password" required aria-invalid={passwordError ? true : undefined} aria-describedby={passwordError ? 'field-error-TargetPassword' : undefined} />
        </Field>
      </FieldErrorsProvider>
      <Button type="submit" disabled={pending}>
        {t('create')}
      </Button>
      {state.message && !passwordError && (
        <Alert tone="error">
          {state.message}
          {state.requestId && <span className="block text-xs opacity-80">{tc('requestId', { id: state.requestId })}</span>}
        </Alert>
      )}
    </form>
  );
}
