'use client';
// Settings → Constellation, targets: this server, the other Halley or Comet servers of ConstellationRoleOptions.Servers
// (add with an administrator's credentials, remove; passwords are write-only) and the listable Storage Templates, each
// with whether it answered in the last report; a partial report is flagged; and the vaults that point at buckets that
// exist on no target (the report's Missing list, with a badge). "Test connection" tries a saved server (with its stored
// password) or the one being added (admin/halley/constellation/test-server) and says what it answered.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { saveConstellationServers, testConstellationServer, type ConstellationServer } from '../../../app/(console)/settings/constellation/actions';
import type { TMissingWire, TTargetWire } from '@/lib/constellation/run-constellation';
import { isHttpUrl } from '@/lib/validation/http-url';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent } from '../../ui/card';
import { Input } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { fieldForError, refusalText } from '../field-errors';
import { useApiAction } from '../use-api-action';

type Field = 'Description' | 'RemoteAddress' | 'Username' | 'Password';
const EMPTY: Record<Field, string> = { Description: '', RemoteAddress: '', Username: '', Password: '' };

/** The new server's inputs and the server's refusals that concern them (API field suffixes and catalogue keys). */
const SERVER_FIELD_ERRORS = {
  RemoteAddress: ['.RemoteAddress', 'constellationRemoteAddressInvalid', 'constellationTestServerFailed'],
  Username: ['.Username', 'constellationUsernameEmpty'],
  Description: ['.Description', 'constellationServerFieldsTooLong'],
  Password: ['.Password'],
} as const;

export function ConstellationTargets({ servers, targets, complete, hasReport, missing }: { servers: ConstellationServer[]; targets: TTargetWire[]; complete: boolean; hasReport: boolean; missing: TMissingWire[] }) {
  const t = useTranslations('constellation');
  const router = useRouter();
  const action = useApiAction();
  const { run, pending, error, setError } = action;
  const [draft, setDraft] = useState(EMPTY);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  // Whether the last request was about the new server (add, test): then a refusal is shown next to its input.
  const [aboutDraft, setAboutDraft] = useState(false);
  const refused = error && aboutDraft ? (fieldForError(action.errorKey, SERVER_FIELD_ERRORS, action.errorField) as Field | undefined) : undefined;
  const shown: Partial<Record<Field, string>> = refused ? { [refused]: refusalText(action), ...problems } : problems;
  const [notice, setNotice] = useState('');
  const keep = servers.map((s) => ({ Type: 'comet', Description: s.Description, RemoteAddress: s.RemoteAddress, Username: s.Username, Password: '' }));
  const save = (next: ConstellationServer[], message: string, after?: () => void) =>
    run(
      () => saveConstellationServers(next),
      () => {
        setNotice(message);
        after?.();
        router.refresh();
      },
    );
  const add = () => {
    const p: Partial<Record<Field, string>> = {};
    if (!draft.RemoteAddress.trim()) p.RemoteAddress = t('targets.required');
    else if (!isHttpUrl(draft.RemoteAddress.trim())) p.RemoteAddress = t('targets.badUrl');
    if (!draft.Username.trim()) p.Username = t('targets.required');
    if (!draft.Password) p.Password = t('targets.required');
    setProblems(p);
    if (Object.keys(p).length) return;
    setAboutDraft(true);
    save([...keep, { Type: 'comet', ...draft, RemoteAddress: draft.RemoteAddress.trim(), Username: draft.Username.trim() }], t('targets.added'), () => setDraft(EMPTY));
  };
  const test = (server: ConstellationServer) => {
    setNotice('');
    run(
      () => testConstellationServer(server),
      (answer) => setNotice(t('targets.testOk', { address: answer.Address, buckets: answer.Buckets })),
    );
  };
  const testDraft = () => {
    const p: Partial<Record<Field, string>> = {};
    if (!draft.RemoteAddress.trim()) p.RemoteAddress = t('targets.required');
    else if (!isHttpUrl(draft.RemoteAddress.trim())) p.RemoteAddress = t('targets.badUrl');
    if (!draft.Username.trim()) p.Username = t('targets.required');
    setProblems(p);
    if (Object.keys(p).length) return;
    setAboutDraft(true);
    test({ Type: 'comet', ...draft, RemoteAddress: draft.RemoteAddress.trim(), Username: draft.Username.trim() });
  };
  const nameOf = (index: number) => targets.find((x) => x.Index === index)?.Name ?? String(index);
  const field = (name: Field, label: string, type = 'text') => (
    <label className="grid gap-1 text-sm">
      <span>{label}</span>
      <Input
        name={`server-${name}`}
        type={type}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        value={draft[name]}
        aria-invalid={shown[name] ? true : undefined}
        aria-describedby={shown[name] ? `server-${name}-problem` : undefined}
        onChange={(e) => {
          setDraft({ ...draft, [name]: e.target.value });
          // A message about the previous attempt no longer applies once the admin edits.
          if (shown[name]) setProblems(({ [name]: _gone, ...rest }) => rest);
          if (error) setError('');
          if (notice) setNotice('');
        }}
      />
      {shown[name] && (
        <span id={`server-${name}-problem`} role="alert" className="text-xs text-destructive">
          {shown[name]}
        </span>
      )}
    </label>
  );

  return (
    <Card>
      <CardContent className="grid gap-4 pt-6">
        <div className="flex flex-wrap items-center gap-3">
          <h2 className="text-lg font-semibold">{t('targets.title')}</h2>
          {missing.length > 0 && (
            <Badge variant="destructive" data-testid="missing-badge">
              {t('missing.badge', { count: missing.length })}
            </Badge>
          )}
        </div>
        {hasReport && !complete && <Alert tone="error">{t('targets.partial')}</Alert>}
        <ul className="grid gap-2 text-sm" data-testid="constellation-targets">
          {targets.map((x) => (
            <li key={x.Index} className="flex flex-wrap items-center gap-2">
              <span className="font-mono text-xs text-muted-foreground">#{x.Index}</span>
              <span className="font-medium">{x.Name}</span>
              {x.Address && <span className="text-xs text-muted-foreground">{x.Address}</span>}
              <Badge variant={x.OK ? 'success' : 'destructive'}>{x.OK ? t('targets.ok') : t('targets.failed')}</Badge>
              {x.OK && x.Index > 0 && <span className="text-xs text-muted-foreground">{t('targets.counts', { buckets: x.Buckets, users: x.Users })}</span>}
              {!x.OK && <span className="text-xs text-destructive">{x.Error}</span>}
            </li>
          ))}
        </ul>
        <p className="max-w-3xl text-sm text-muted-foreground">{t('targets.serversHint')}</p>
        {servers.length > 0 && (
          <ul className="grid gap-2 text-sm">
            {servers.map((s, i) => (
              <li key={`${s.RemoteAddress}|${s.Username}`} className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{s.Description || s.RemoteAddress}</span>
                <span className="text-xs text-muted-foreground">
                  {s.RemoteAddress} · {s.Username}
                </span>
                <Button variant="outline" size="sm" disabled={pending} onClick={() => (setAboutDraft(false), test(keep[i]))} aria-label={`${t('targets.test')}: ${s.Description || s.RemoteAddress}`}>
                  {t('targets.test')}
                </Button>
                <Button
                  variant="outline"
                  size="sm"
                  disabled={pending}
                  onClick={() => window.confirm(t('targets.removeConfirm', { name: s.Description || s.RemoteAddress })) && (setAboutDraft(false), save(keep.filter((_, j) => j !== i), t('targets.removed')))}
                >
                  {t('targets.remove')}
                </Button>
              </li>
            ))}
          </ul>
        )}
        <div className="grid gap-3 sm:grid-cols-4">
          {field('Description', t('targets.name'))}
          {field('RemoteAddress', t('targets.url'), 'url')}
          {field('Username', t('targets.username'))}
          {field('Password', t('targets.password'), 'password')}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button variant="outline" disabled={pending} onClick={add}>
            {t('targets.add')}
          </Button>
          <Button variant="outline" disabled={pending} onClick={testDraft} data-testid="test-new-server">
            {t('targets.test')}
          </Button>
          {notice && (
            <span role="status" className="text-sm text-success">
              {notice}
            </span>
          )}
        </div>
        {error && !refused && <Alert tone="error">{error}</Alert>}
        {missing.length > 0 && (
          <section className="grid gap-2" aria-labelledby="constellation-missing">
            <h3 id="constellation-missing" className="font-semibold">
              {t('missing.title')}
            </h3>
            <div className="rounded-lg border">
              <Table>
                <THead>
                  <TR className="hover:bg-transparent">
                    <TH>{t('missing.user')}</TH>
                    <TH>{t('missing.server')}</TH>
                    <TH>{t('missing.bucket')}</TH>
                  </TR>
                </THead>
                <TBody>
                  {missing.map((m) => (
                    <TR key={`${m.ServerID}|${m.Username}|${m.BucketID}`}>
                      <TD>{m.Username}</TD>
                      <TD>{nameOf(m.ServerID)}</TD>
                      <TD className="font-mono text-xs">{m.BucketID}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            </div>
          </section>
        )}
      </CardContent>
    </Card>
  );
}
