'use client';
// Clients page: download the client package of a platform this server builds (available-platforms ->
// generate-client/by-platform through /clients/download), and make an install token for a user's unattended
// installation: the token is shown once, with a copy button, the one-line install command and its expiry.
import { Check, Copy, Download, KeyRound } from 'lucide-react';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { createInstallToken, type TInstallToken } from '../../../app/(console)/clients/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Field, Input, NativeSelect } from '../../ui/input';
import { useApiAction } from '../use-api-action';

export type TPlatformOption = { id: number; category: string; description: string };

function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useTranslations('clients');
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="outline"
      size="sm"
      aria-label={label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? <Check /> : <Copy />} {copied ? t('copied') : t('copy')}
    </Button>
  );
}

function DownloadCard({ platforms, version }: { platforms: TPlatformOption[]; version: string }) {
  const t = useTranslations('clients');
  const [platform, setPlatform] = useState(String(platforms[0]?.id ?? ''));
  const [self, setSelf] = useState('');
  useEffect(() => setSelf(`${window.location.origin}/`), []);
  const href = `/clients/download?${new URLSearchParams({ platform, ...(self.trim() ? { self: self.trim() } : {}) }).toString()}`;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('download.title')}</CardTitle>
        <CardDescription>{t('download.description', { version })}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {platforms.length === 0 ? (
          <Alert tone="info">{t('download.none')}</Alert>
        ) : (
          <>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label={t('download.platform')}>
                <NativeSelect name="Platform" value={platform} onChange={(e) => setPlatform(e.target.value)}>
                  {platforms.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.category}: {p.description}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
              <Field label={t('download.server')} hint={t('download.serverHint')}>
                <Input name="SelfAddress" value={self} onChange={(e) => setSelf(e.target.value)} />
              </Field>
            </div>
            <div>
              <Button asChild>
                <a href={href} download data-testid="download-client">
                  <Download /> {t('download.button')}
                </a>
              </Button>
            </div>
          </>
        )}
      </CardContent>
    </Card>
  );
}

function TokenCard({ version }: { version: string }) {
  const t = useTranslations('clients');
  const format = useFormatter();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [server, setServer] = useState('');
  const [made, setMade] = useState<TInstallToken | null>(null);
  const action = useApiAction();
  const command = made ? `tar -xzf halley-agent-${version}-linuxgeneric.tar.gz && sudo sh halley-agent-${version}/install.sh --install-token ${made.Token}` : '';

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!user.trim()) return action.setError(t('token.userRequired'));
    if (!password) return action.setError(t('token.passwordRequired'));
    action.run(
      () => createInstallToken({ TargetUser: user.trim(), TargetPassword: password, Server: server }),
      (data) => {
        setMade(data.InstallToken);
        setPassword('');
      },
    );
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('token.title')}</CardTitle>
        <CardDescription>{t('token.description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form className="grid gap-3" onSubmit={submit} aria-label={t('token.title')}>
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label={t('token.user')}>
              <Input name="TargetUser" autoComplete="off" value={user} onChange={(e) => setUser(e.target.value)} />
            </Field>
            <Field label={t('token.password')} hint={t('token.passwordHint')}>
              <Input name="TargetPassword" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
            <Field label={t('token.server')} hint={t('token.serverHint')}>
              <Input name="Server" value={server} onChange={(e) => setServer(e.target.value)} />
            </Field>
          </div>
          {action.error && <Alert tone="error">{action.error}</Alert>}
          <div>
            <Button type="submit" disabled={action.pending}>
              <KeyRound /> {t('token.create')}
            </Button>
          </div>
        </form>
        {made && (
          <div className="grid gap-3 rounded-md border p-4" data-testid="install-token">
            <Alert tone="warning">{t('token.once')}</Alert>
            <Field label={t('token.token')}>
              <div className="flex gap-2">
                <Input readOnly value={made.Token} aria-label={t('token.token')} className="font-mono" />
                <CopyButton text={made.Token} label={t('token.copyToken')} />
              </div>
            </Field>
            <Field label={t('token.command')} hint={t('token.commandHint')}>
              <div className="flex gap-2">
                <Input readOnly value={command} aria-label={t('token.command')} className="font-mono text-xs" />
                <CopyButton text={command} label={t('token.copyCommand')} />
              </div>
            </Field>
            <p className="text-sm text-muted-foreground">
              {t('token.expires', { user: made.Username, time: format.dateTime(new Date(made.ExpireTime * 1000), { dateStyle: 'medium', timeStyle: 'short' }) })}
            </p>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

export function ClientsView({ platforms, version }: { platforms: TPlatformOption[]; version: string }) {
  return (
    <div className="grid gap-6">
      <DownloadCard platforms={platforms} version={version} />
      <TokenCard version={version} />
    </div>
  );
}
