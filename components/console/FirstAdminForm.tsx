'use client';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useActionState } from 'react';
import { createFirstAdmin, type FirstAdminState } from '../../app/(auth)/setup/actions';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Field, Input } from '../ui/input';

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
  return (
    <form action={formAction} className="grid gap-4">
      <Field label={t('username')}>
        <Input key={state.attempt ?? 0} name="TargetUser" autoComplete="username" required maxLength={255} defaultValue={state.username ?? ''} />
      </Field>
      <Field label={t('password')} hint={t('passwordHint')}>
        <Input name="TargetPassword" type="password" autoComplete="new-password" required />
      </Field>
      <Button type="submit" disabled={pending}>
        {t('create')}
      </Button>
      {state.message && (
        <Alert tone="error">
          {state.message}
          {state.requestId && <span className="block text-xs opacity-80">{tc('requestId', { id: state.requestId })}</span>}
        </Alert>
      )}
    </form>
  );
}
