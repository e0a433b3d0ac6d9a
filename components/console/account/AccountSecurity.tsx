'use client';
// The admin's own sign-in security: password, TOTP (QR code and text secret, confirmation, recovery
// codes shown once), security keys (WebAuthn, several named keys).
import { startRegistration } from '@simplewebauthn/browser';
import { KeyRound, ShieldCheck, Smartphone, Trash2 } from 'lucide-react';
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { changePassword, confirmTotp, finishKeyRegistration, removeKey, setSignInMethods, startKeyRegistration, startTotp } from '../../../app/(console)/account/actions';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Field, Input } from '../../ui/input';
import { useAdvanced } from '../ConsoleProviders';
import { FieldError, FieldErrorsProvider, fieldForError, PASSWORD_ERROR_KEYS, useFieldRefusal } from '../field-errors';
import { useApiAction } from '../use-api-action';

export type SecurityOptions = {
  AllowPasswordAndTOTPLogin: boolean;
  AllowPasswordAndWebAuthnLogin: boolean;
  WebAuthnRegistrations?: Array<{ Description: string; RegisterTime: number; ID: string; LastUsedTime?: number }> | null;
  IPWhitelist?: string;
};

export function AccountSecurity({ security }: { security: SecurityOptions }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <PasswordCard />
      <TotpCard enabled={security.AllowPasswordAndTOTPLogin} />
      <KeysCard keys={security.WebAuthnRegistrations ?? []} enabled={security.AllowPasswordAndWebAuthnLogin} />
    </div>
  );
}

function PasswordCard() {
  const t = useTranslations('account.password');
  const { run, pending, error, errorKey, setError } = useApiAction();
  const [done, setDone] = useState(false);
  // The server's password policy decides; its refusal is shown under the new-password field.
  const nextError = fieldForError(errorKey, { next: PASSWORD_ERROR_KEYS }) ? error : '';
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          onChange={() => {
            setDone(false);
            if (error) setError('');
          }}
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const f = new FormData(form);
            setDone(false);
            run(
              () => changePassword(String(f.get('current')), String(f.get('next'))),
              () => {
                form.reset();
                setDone(true);
              },
            );
          }}
        >
          <Field label={t('current')}>
            <Input name="current" type="password" required autoComplete="current-password" />
          </Field>
          <FieldErrorsProvider errors={{ next: nextError }}>
            <Field label={t('new')} error={<FieldError name="next" />}>
              <Input name="next" type="password" required autoComplete="new-password" aria-invalid={nextError ? true : undefined} aria-describedby={nextError ? 'field-error-next' : undefined} />
            </Field>
          </FieldErrorsProvider>
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={pending}>
              {t('submit')}
            </Button>
            {done && (
              <span role="status" className="text-sm text-success">
                {t('changed')}
              </span>
            )}
          </div>
          {error && !nextError && <Alert tone="error">{error}</Alert>}
        </form>
      </CardContent>
    </Card>
  );
}

/** The TOTP code input and the server's refusals that concern it (catalogue keys). */
const TOTP_FIELD_ERRORS = { code: ['.TOTPCode', 'totpCodeFormat', 'totpIncorrectCheckClock'] } as const;

function TotpCard({ enabled }: { enabled: boolean }) {
  const t = useTranslations('account.totp');
  const router = useRouter();
  const action = useApiAction();
  const { run, pending, error, setError } = action;
  const [setup, setSetup] = useState<{ Image: string; Secret: string } | null>(null);
  // A refused code is shown under its input; the next edit clears it.
  const formRef = useRef<HTMLFormElement>(null);
  const refusal = useFieldRefusal(formRef, setup ? action : null, TOTP_FIELD_ERRORS);
  const [codes, setCodes] = useState<string[] | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Smartphone className="size-4" /> {t('title')} {enabled ? <Badge variant="success">{t('on')}</Badge> : <Badge variant="secondary">{t('off')}</Badge>}
        </CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {codes && (
          <Alert tone="success" data-testid="recovery-codes">
            <p className="font-medium">{t('codesTitle')}</p>
            <p className="mb-2 text-foreground">{t('codesText')}</p>
            <ul className="grid grid-cols-2 gap-1 font-mono text-sm text-foreground">
              {codes.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </Alert>
        )}
        {setup ? (
          <form
            ref={formRef}
            className="grid gap-4"
            onChange={() => {
              if (error) setError('');
            }}
            onSubmit={(e) => {
              e.preventDefault();
              const code = String(new FormData(e.currentTarget).get('code'));
              run(
                () => confirmTotp(code),
                (data) => {
                  setSetup(null);
                  setCodes(data.RecoveryCodes ?? []);
                  router.refresh();
                },
              );
            }}
          >
            <p className="text-sm">{t('scan')}</p>
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={setup.Image} alt={t('qrAlt')} className="size-44 rounded border bg-white p-2" />
            <Field label={t('secret')} hint={t('secretHint')}>
              <Input readOnly value={setup.Secret} className="font-mono" data-testid="totp-secret" onFocus={(e) => e.currentTarget.select()} />
            </Field>
            <FieldErrorsProvider errors={refusal.errors}>
              <Field label={t('code')} error={<FieldError name="code" />}>
                <Input name="code" required autoComplete="one-time-code" inputMode="numeric" autoFocus />
              </Field>
            </FieldErrorsProvider>
            <div className="flex gap-2">
              <Button type="submit" disabled={pending}>
                {t('confirm')}
              </Button>
              <Button type="button" variant="outline" onClick={() => setSetup(null)}>
                {t('cancel')}
              </Button>
            </div>
          </form>
        ) : (
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => run(() => startTotp(), (data) => setSetup({ Image: data.Image, Secret: data.Secret }))} disabled={pending}>
              {enabled ? t('replace') : t('enable')}
            </Button>
            {enabled && (
              <Button
                variant="outline"
                disabled={pending}
                onClick={() => {
                  if (window.confirm(t('disableConfirm'))) run(() => setSignInMethods({ AllowPasswordAndTOTPLogin: false }), () => router.refresh());
                }}
              >
                {t('disable')}
              </Button>
            )}
          </div>
        )}
        {error && !refusal.input && <Alert tone="error">{error}</Alert>}
      </CardContent>
    </Card>
  );
}

function KeysCard({ keys, enabled }: { keys: NonNullable<SecurityOptions['WebAuthnRegistrations']>; enabled: boolean }) {
  const t = useTranslations('account.keys');
  const format = useFormatter();
  const advanced = useAdvanced();
  const router = useRouter();
  const { run, pending, error, setError } = useApiAction();
  const [name, setName] = useState('');
  const register = () => {
    const self = `${window.location.origin}/`;
    run(
      () => startKeyRegistration(self),
      async (challenge) => {
        let credential;
        try {
          credential = await startRegistration({ optionsJSON: challenge.OptionsJSON as never });
        } catch (err) {
          setError(t('cancelled', { reason: err instanceof Error ? err.message : String(err) }));
          return;
        }
        const res = await finishKeyRegistration(self, challenge.ChallengeID, JSON.stringify(credential), name.trim());
        if (!res.ok) setError(res.message);
        else {
          setName('');
          router.refresh();
        }
      },
    );
  };
  return (
    <Card className="lg:col-span-2">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <KeyRound className="size-4" /> {t('title')} {enabled ? <Badge variant="success">{t('on')}</Badge> : <Badge variant="secondary">{t('off')}</Badge>}
        </CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {keys.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('none')}</p>
        ) : (
          <ul className="divide-y rounded-md border" data-testid="security-keys">
            {keys.map((k) => (
              <li key={k.ID} className="flex items-center gap-3 px-4 py-3 text-sm">
                <ShieldCheck className="size-4 text-success" aria-hidden="true" />
                <span className="font-medium">{k.Description || t('defaultName')}</span>
                {advanced && <code className="truncate text-xs">{k.ID}</code>}
                <span className="ms-auto text-muted-foreground">
                  {t('added', { date: format.dateTime(new Date(k.RegisterTime * 1000), { dateStyle: 'medium' }) })}
                  {k.LastUsedTime ? ` · ${t('lastUsed', { date: format.dateTime(new Date(k.LastUsedTime * 1000), { dateStyle: 'medium', timeStyle: 'short' }) })}` : ''}
                </span>
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={t('remove', { name: k.Description })}
                  disabled={pending}
                  onClick={() => {
                    if (window.confirm(t('removeConfirm', { name: k.Description }))) run(() => removeKey(k.ID), () => router.refresh());
                  }}
                >
                  <Trash2 />
                </Button>
              </li>
            ))}
          </ul>
        )}
        <div className="flex flex-wrap items-end gap-2">
          <Field label={t('name')} className="w-64">
            <Input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('namePlaceholder')} maxLength={100} />
          </Field>
          <Button onClick={register} disabled={pending}>
            <KeyRound /> {t('register')}
          </Button>
          {keys.length > 0 && (
            <Button variant="outline" disabled={pending} onClick={() => run(() => setSignInMethods({ AllowPasswordAndWebAuthnLogin: !enabled }), () => router.refresh())}>
              {enabled ? t('turnOff') : t('turnOn')}
            </Button>
          )}
        </div>
        {error && <Alert tone="error">{error}</Alert>}
      </CardContent>
    </Card>
  );
}
