'use client';
// Building blocks of the backup-configuration editors: a draft object edited by field path, field errors
// from the server's validation shown next to their field in the UI language, write-only secrets, and
// the save/delete round trip through saveBackupEntry (set-user-profile-hash with the editor's hash).
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { cloneElement, useId, useState, type ReactElement } from 'react';
import { saveBackupEntry, type BackupSection } from '../../../../app/(console)/users/actions';
import type { TConfigIssue } from '../../../../lib/profile/validate-backup-config';
import { Button } from '../../../ui/button';
import { Input, Textarea } from '../../../ui/input';
import { useApiAction } from '../../use-api-action';

export type Json = Record<string, unknown>;
export type Path = Array<string | number>;

export function getPath(obj: unknown, path: Path): unknown {
  let cur = obj;
  for (const k of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
  return cur;
}

/** A copy of `obj` with `value` at `path` (objects created on the way). */
export function setPath<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const base = (Array.isArray(obj) ? [...obj] : { ...(obj as object) }) as Record<string | number, unknown>;
  base[head] = setPath(base[head] ?? (typeof rest[0] === 'number' ? [] : {}), rest, value);
  return base as T;
}

export function newId(): string {
  return crypto.randomUUID();
}

/** The issues of one field (exact path) as translated text. */
export function useIssueText() {
  const t = useTranslations('backupConfig.errors');
  return (issue: TConfigIssue) => (t.has(`${issue.code}` as 'range') ? t(`${issue.code}` as 'range', (issue.values ?? {}) as { min: number; max: number }) : issue.code);
}

export function FieldError({ issues, path }: { issues: TConfigIssue[]; path: Path }) {
  const text = useIssueText();
  const key = path.join('.');
  const mine = issues.filter((i) => i.field.join('.') === key);
  if (mine.length === 0) return null;
  return (
    <span className="text-xs text-destructive" role="alert" data-field-error={key}>
      {mine.map(text).join(' ')}
    </span>
  );
}

/** Issues no field on the form shows (e.g. "still used by a rule"). */
export function OtherIssues({ issues, shown }: { issues: TConfigIssue[]; shown: string[] }) {
  const text = useIssueText();
  const rest = issues.filter((i) => !shown.includes(i.field.join('.')));
  if (rest.length === 0) return null;
  return (
    <div role="alert" className="rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm text-destructive">
      {rest.map((i, n) => (
        <p key={n}>
          {i.field.length ? <code className="me-1">{i.field.join('.')}</code> : null}
          {text(i)}
        </p>
      ))}
    </div>
  );
}

/** A labelled field whose error (from the server) sits right under it; hint and error are not part of its name. */
export function EditField({ label, hint, issues, path, children }: { label: string; hint?: string; issues: TConfigIssue[]; path: Path; children: ReactElement<{ id?: string; 'aria-describedby'?: string }> }) {
  const id = useId();
  return (
    <div className="grid content-start gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {cloneElement(children, { id, 'aria-describedby': hint ? `${id}-hint` : undefined })}
      {hint && (
        <span id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </span>
      )}
      <FieldError issues={issues} path={path} />
    </div>
  );
}

/**
 * A write-only credential: when a value is stored the field shows "set — replace?" and never the value;
 * an empty field keeps what is stored.
 */
export function SecretField({ label, sealed, value, onChange, issues, path, multiline }: { label: string; sealed: boolean; value: string; onChange: (v: string) => void; issues: TConfigIssue[]; path: Path; multiline?: boolean }) {
  const t = useTranslations('backupConfig');
  const [replacing, setReplacing] = useState(!sealed);
  const name = path.join('.');
  return (
    <div className="grid content-start gap-1.5">
      <span className="text-sm font-medium">{label}</span>
      {replacing ? (
        multiline ? (
          <Textarea aria-label={label} name={name} rows={4} value={value} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
        ) : (
          <Input aria-label={label} name={name} type="password" value={value} autoComplete="new-password" onChange={(e) => onChange(e.target.value)} />
        )
      ) : (
        <span className="flex items-center gap-2 text-sm" data-sealed={name}>
          <span className="text-muted-foreground">{t('secretSet')}</span>
          <Button type="button" variant="outline" size="sm" onClick={() => setReplacing(true)}>
            {t('secretReplace')}
          </Button>
        </span>
      )}
      {replacing && sealed && <span className="text-xs text-muted-foreground">{t('secretKeepHint')}</span>}
      <FieldError issues={issues} path={path} />
    </div>
  );
}

/** Lines of a textarea ⇄ a string list. */
export function LinesField({ label, hint, value, onChange, issues, path, name }: { label: string; hint?: string; value: string[]; onChange: (v: string[]) => void; issues: TConfigIssue[]; path: Path; name: string }) {
  return (
    <EditField label={label} hint={hint} issues={issues} path={path}>
      <Textarea
        name={name}
        rows={3}
        defaultValue={value.join('\n')}
        onChange={(e) =>
          onChange(
            e.target.value
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean),
          )
        }
      />
    </EditField>
  );
}

/** Save and delete of one entry; `onSaved` after success (the page refreshes with the new hash). */
export function useEntrySave(username: string, hash: string, section: BackupSection) {
  const t = useTranslations('backupConfig');
  const router = useRouter();
  const { run, pending, error, setError } = useApiAction();
  const [issues, setIssues] = useState<TConfigIssue[]>([]);
  function save(id: string, value: Json | null, onSaved: () => void) {
    setIssues([]);
    run(
      () => saveBackupEntry(username, hash, section, id, value, t('conflict')),
      (data) => {
        if (data.issues) setIssues(data.issues);
        else {
          onSaved();
          router.refresh();
        }
      },
    );
  }
  return { save, pending, error, setError, issues, setIssues };
}
