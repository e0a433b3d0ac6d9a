'use client';
// Settings → Self-backup → Import tenant: a tenant export archive (admin/organization/export), uploaded from the
// browser or on this server
// becomes a new organization. "Check only" verifies the archive and lists conflicts without writing; the import
// history shows each import's progress while it runs, then the organization it created or the conflicts that
// refused it (user, admin or host names taken here).
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { listImports, startImport, uploadImport, type OrganizationImport } from '../../../app/(console)/settings/self-backup/actions';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Checkbox, Field, Input } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { useFormat } from '../format';
import { useApiAction } from '../use-api-action';

const BADGE: Record<OrganizationImport['Status'], 'success' | 'destructive' | 'warning' | 'secondary'> = {
  success: 'success',
  checked: 'success',
  refused: 'warning',
  failed: 'destructive',
  queued: 'secondary',
  running: 'secondary',
};

const PHASES = ['verifying', 'loading', 'checking', 'importing'] as const;

export function OrganizationImportPanel({ imports: initial }: { imports: OrganizationImport[] }) {
  const t = useTranslations('orgImport');
  const fmt = useFormat();
  const router = useRouter();
  const { run, pending, error } = useApiAction();
  const [imports, setImports] = useState(initial);
  const [path, setPath] = useState('');
  const [password, setPassword] = useState('');
  const [dryRun, setDryRun] = useState(true);
  const [pathError, setPathError] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const busy = imports.some((r) => r.Status === 'queued' || r.Status === 'running');

  useEffect(() => setImports(initial), [initial]);
  // While an import is queued or running, the history refreshes itself.
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => {
      void listImports().then((res) => res.ok && setImports(res.data.Imports));
    }, 1500);
    return () => clearInterval(timer);
  }, [busy]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (file) {
      // An uploaded archive is stored on the server; after a check, the import that follows names it by its path.
      const form = new FormData();
      form.set('archive', file);
      form.set('password', password);
      form.set('dryRun', String(dryRun));
      setPathError('');
      run(
        () => uploadImport(form),
        async (data) => {
          setFile(null);
          if (fileInput.current) fileInput.current.value = '';
          if (dryRun) setPath(data.ArchivePath);
          else setPassword('');
          const res = await listImports();
          if (res.ok) setImports(res.data.Imports);
          router.refresh();
        },
      );
      return;
    }
    if (!path.trim().startsWith('/')) return setPathError(t('pathInvalid'));
    setPathError('');
    run(
      () => startImport(path.trim(), password, dryRun),
      async () => {
        setPassword('');
        const res = await listImports();
        if (res.ok) setImports(res.data.Imports);
        router.refresh();
      },
    );
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form aria-label={t('title')} className="grid gap-4 rounded-md border p-4" onSubmit={submit}>
          <Field label={t('file')} hint={t('fileHint')}>
            <Input ref={fileInput} name="archiveFile" type="file" accept=".zip,application/zip" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('path')} hint={t('pathHint')} error={pathError && <span className="text-xs text-destructive">{pathError}</span>}>
              <Input name="archivePath" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/srv/halley-exports/halley-export-….zip" aria-invalid={!!pathError} />
            </Field>
            <Field label={t('password')} hint={t('passwordHint')}>
              <Input name="archivePassword" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <Checkbox name="dryRun" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
            {t('dryRun')}
          </label>
          {error && <Alert tone="error">{error}</Alert>}
          <div>
            <Button type="submit" disabled={pending || (!path && !file) || !password}>
              {dryRun ? t('check') : t('import')}
            </Button>
          </div>
        </form>

        {imports.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('none')}</p>
        ) : (
          <Table>
            <THead>
              <TR>
                <TH>{t('started')}</TH>
                <TH>{t('archive')}</TH>
                <TH>{t('result')}</TH>
              </TR>
            </THead>
            <TBody>
              {imports.map((r) => {
                const pct = r.RowsTotal ? Math.min(100, Math.round((r.RowsDone / r.RowsTotal) * 100)) : 0;
                return (
                  <TR key={r.ID}>
                    <TD className="whitespace-nowrap align-top">{fmt.dateTime(r.CreateTime)}</TD>
                    <TD className="align-top">
                      <div className="font-mono text-xs break-all">{r.ArchivePath}</div>
                      {r.DryRun && <div className="text-xs text-muted-foreground">{t('dryRunShort')}</div>}
                    </TD>
                    <TD className="align-top">
                      <Badge variant={BADGE[r.Status]}>{t(`status.${r.Status}`)}</Badge>
                      {r.Status === 'running' && (
                        <div className="mt-2 grid gap-1 text-xs text-muted-foreground">
                          <span>{t(`phase.${PHASES.includes(r.Phase as (typeof PHASES)[number]) ? (r.Phase as (typeof PHASES)[number]) : 'verifying'}`)}</span>
                          <div className="h-2 w-48 rounded bg-muted" role="progressbar" aria-label={t('progress')} aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
                            <div className="h-2 rounded bg-primary" style={{ width: `${pct}%` }} />
                          </div>
                        </div>
                      )}
                      {r.Status === 'success' && <div className="mt-1 text-sm">{t('created', { name: r.OrganizationName, id: r.OrganizationID })}</div>}
                      {r.Status === 'checked' && <div className="mt-1 text-sm">{t('checkedOk', { name: r.OrganizationName })}</div>}
                      {(r.Status === 'success' || r.Status === 'checked') && (
                        <div className="text-xs text-muted-foreground">
                          {t('summary', { remapped: r.Summary.RemappedIDs ?? 0, resealed: r.Summary.ResealedSecrets ?? 0 })}
                          {r.Summary.LeftOut?.map((x) => (
                            <div key={x.Table}>{t('leftOut', { table: x.Table, rows: x.Rows, reason: x.Reason })}</div>
                          ))}
                        </div>
                      )}
                      {r.Status === 'refused' && (
                        <div className="mt-1 text-sm">
                          {t('conflicts', { count: r.Conflicts.length })}
                          <ul className="mt-1 list-disc ps-5 text-xs">
                            {r.Conflicts.map((c, i) => (
                              <li key={i}>{t(`conflict.${c.Kind === 'user' || c.Kind === 'admin' || c.Kind === 'host' ? c.Kind : 'other'}`, { value: c.Value, message: c.Message })}</li>
                            ))}
                          </ul>
                        </div>
                      )}
                      {r.Error && <div className="mt-1 max-w-md text-xs text-destructive">{r.Error}</div>}
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
