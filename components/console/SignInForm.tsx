'use client';
// Console sign-in: password first; when the account has a second factor (ERR_TOTP_REQUIRED from the
// API), a TOTP / recovery code field and, when the admin has security keys, "Use security key".
import { startAuthentication } from '@simplewebauthn/browser';
import { KeyRound } from 'lucide-react';
import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useEffect, useState, type FormEvent } from 'react';
import { securityKeyChallenge } from '../../app/(auth)/login/actions';
import { safeCallbackPath } from '@/lib/adapters/console/safe-callback-url';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Field, Input } from '../ui/input';

type Step = 'password' | 'second-factor';

export function SignInForm({ callbackUrl, initialUsername, notice }: { callbackUrl: string; initialUsername: string; notice?: 'expired' | 'signedOut' }) {
  const t = useTranslations('auth');
  const [step, setStep] = useState<Step>('password');
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // Until React has hydrated the form, its fields are disabled: a submit before that would be the browser's
  // own (the password in a URL); method="post" keeps even that out of the address bar and the logs.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    setReady(true);
    // autoFocus can't focus a field that was disabled when it mounted: focus it once it is enabled.
    requestAnimationFrame(() => document.querySelector<HTMLInputElement>(initialUsername ? 'input[name=password]' : 'input[name=username]')?.focus());
  }, [initialUsername]);

  async function attempt(extra: { totp?: string; webauthn?: string }): Promise<void> {
    const res = await signIn('credentials', { redirect: false, username, password, totp: extra.totp ?? '', webauthn: extra.webauthn ?? '' });
    if (res?.ok && !res.error) {
      // A full navigation, so every server component renders with the new session.
      // The page sanitised callbackUrl already; checking again here keeps this component safe on its own.
      window.location.assign(safeCallbackPath(callbackUrl, window.location.origin));
      return;
    }
    const message = res?.error ?? t('failed');
    if (message === 'ERR_TOTP_REQUIRED') {
      if (step === 'password') {
        setStep('second-factor');
        setError('');
      } else setError(t('secondFactorMissing'));
      return;
    }
    setError(message === 'CredentialsSignin' ? t('failed') : message);
  }

  async function onPassword(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await attempt({});
    } finally {
      setBusy(false);
    }
  }

  async function onTotp(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await attempt({ totp: totp.replace(/\s+/g, '') });
    } finally {
      setBusy(false);
    }
  }

  async function onSecurityKey() {
    setBusy(true);
    setError('');
    try {
      const challenge = await securityKeyChallenge(username, password, `${window.location.origin}/`);
      if (!challenge.ok) {
        setError(challenge.message);
        return;
      }
      let credential;
      try {
        credential = await startAuthentication({ optionsJSON: challenge.options as never });
      } catch (err) {
        setError(t('keyCancelled', { reason: err instanceof Error ? err.message : String(err) }));
        return;
      }
      await attempt({ webauthn: JSON.stringify({ ChallengeID: challenge.challengeId, CredentialJSON: JSON.stringify(credential) }) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-4">
      {notice && step === 'password' && !error && <Alert tone="info">{t(notice)}</Alert>}
      {step === 'password' ? (
        <form method="post" onSubmit={onPassword}>
          <fieldset disabled={!ready} className="grid gap-4">
            <Field label={t('username')}>
              <Input name="username" autoComplete="username" required autoFocus={!initialUsername} value={username} onChange={(e) => setUsername(e.target.value)} />
            </Field>
            <Field label={t('password')}>
              <Input name="password" type="password" autoComplete="current-password" required autoFocus={!!initialUsername} value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
            <Button type="submit" disabled={busy}>
              {busy ? t('signingIn') : t('signIn')}
            </Button>
          </fieldset>
        </form>
      ) : (
        <div className="grid gap-4">
          <p className="text-sm text-muted-foreground">{t('secondFactorIntro', { username })}</p>
          <form method="post" onSubmit={onTotp} className="grid gap-3">
            <Field label={t('totpLabel')} hint={t('totpHint')}>
              <Input name="totp" autoComplete="one-time-code" inputMode="text" autoFocus required value={totp} onChange={(e) => setTotp(e.target.value)} />
            </Field>
            <Button type="submit" disabled={busy}>
              {t('verify')}
            </Button>
          </form>
          <div className="flex items-center gap-3 text-xs text-muted-foreground">
            <span className="h-px flex-1 bg-border" />
            {t('or')}
            <span className="h-px flex-1 bg-border" />
          </div>
          <Button type="button" variant="outline" onClick={onSecurityKey} disabled={busy}>
            <KeyRound /> {t('useKey')}
          </Button>
          <Button
            type="button"
            variant="link"
            className="justify-self-start px-0"
            onClick={() => {
              setStep('password');
              setTotp('');
              setError('');
            }}
          >
            {t('back')}
          </Button>
        </div>
      )}
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
