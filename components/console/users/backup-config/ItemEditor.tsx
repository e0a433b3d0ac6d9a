'use client';
// Add / edit / duplicate a Protected Item (SourceConfig). Files and folders get a form: folders to
// include and patterns to exclude (EngineProps INCLUDE0.., EXCLUDE0..), commands before and after the
// job, and a retention override per Storage Vault. Other engines are edited as JSON; the common fields
// (engine, description, device, retention overrides) are validated on the server either way.
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ENGINE_BUILTIN, RetentionMode, RetentionRangeType } from '../../../../lib/comet/constants';
import { Alert } from '../../../ui/alert';
import { Button } from '../../../ui/button';
import { Checkbox, Input, NativeSelect, Textarea } from '../../../ui/input';
import { Dialog, DialogContent } from '../../../ui/dialog';
import { DialogActions } from '../../FormDialog';
import type { TConfigIssue } from '../../../../lib/profile/validate-backup-config';
import { EditField, FieldError, LinesField, OtherIssues, setPath, useEntrySave, type Json, type Path } from './shared';
import { useDirtyForm } from '../../use-unsaved-warning';
import { useFormat } from '../../format';

const FILE = ENGINE_BUILTIN.ENGINE_BUILTIN_FILE;
const ENGINES = Object.entries(ENGINE_BUILTIN).map(([k, v]) => [v, k.replace('ENGINE_BUILTIN_', '')] as const);
/** The range field that carries a range type's number. */
const RANGE_VALUE: Record<number, string> = {
  900: 'Jobs', 901: 'Days', 902: 'Timestamp', 903: 'Days', 905: 'Months', 906: 'Weeks', 907: 'Jobs', 908: 'Jobs', 909: 'Jobs', 910: 'Jobs', 911: 'Years',
};
const RANGE_TYPES = Object.entries(RetentionRangeType).filter(([k]) => !k.includes('__'));

type ItemEditorState = { id: string; item: Json; mode: 'add' | 'edit' | 'duplicate' };

function props(item: Json, prefix: string): string[] {
  const p = (item.EngineProps ?? {}) as Record<string, string>;
  return Object.keys(p)
    .filter((k) => new RegExp(`^${prefix}\\d+$`).test(k))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
    .map((k) => p[k]);
}

function withProps(item: Json, prefix: string, values: string[]): Json {
  const p: Record<string, string> = {};
  for (const [k, v] of Object.entries((item.EngineProps ?? {}) as Record<string, string>)) if (!new RegExp(`^${prefix}\\d+$`).test(k)) p[k] = v;
  values.forEach((v, i) => (p[`${prefix}${i}`] = v));
  return { ...item, EngineProps: p };
}

export function ItemEditor({ username, hash, state, devices, vaults, onClose }: { username: string; hash: string; state: ItemEditorState; devices: Record<string, { FriendlyName?: string }>; vaults: Record<string, { Description?: string }>; onClose: () => void }) {
  const unsaved = useDirtyForm();
  const t = useTranslations('backupConfig');
  const fmt = useFormat();
  const tf = useTranslations('backupConfig.fields');
  const tc = useTranslations('common');
  const [draft, setDraft] = useState<Json>(state.item);
  const [jsonText, setJsonText] = useState(() => JSON.stringify(state.item, null, 2));
  const [jsonError, setJsonError] = useState('');
  const { save, pending, error, issues } = useEntrySave(username, hash, 'Sources');
  const engine = String(draft.Engine ?? FILE);
  const isFile = engine === FILE;
  const set = (path: Path, v: unknown) => setDraft((d) => setPath(d, path, v));
  const overrides = (draft.OverrideDestinationRetention ?? {}) as Record<string, Json>;
  const shown = ['Description', 'Engine', 'OwnerDevice', 'EngineProps.INCLUDE0', 'PreExec', 'PostExec', ...Object.keys(vaults).flatMap((v) => [`OverrideDestinationRetention.${v}.Mode`, `OverrideDestinationRetention.${v}.Ranges`])];

  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent title={t(`item.${state.mode}Title`)} className="max-h-[90vh] max-w-2xl overflow-y-auto" closeLabel={tc('close')}>
        <form
          onChange={unsaved.markDirty}
          className="grid gap-4"
          data-testid="item-editor"
          onSubmit={(e) => {
            e.preventDefault();
            let value = draft;
            if (!isFile) {
              try {
                value = { ...JSON.parse(jsonText || '{}'), Engine: engine, Description: draft.Description, OwnerDevice: draft.OwnerDevice ?? '' };
                setJsonError('');
              } catch (err) {
                setJsonError(t('errors.json', { detail: err instanceof Error ? err.message : String(err) }));
                return;
              }
            }
            save(state.id, value, onClose);
          }}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <EditField label={tf('Description')} issues={issues} path={['Description']}>
              <Input name="Description" value={String(draft.Description ?? '')} onChange={(e) => set(['Description'], e.target.value)} />
            </EditField>
            <EditField label={tf('Engine')} issues={issues} path={['Engine']}>
              <NativeSelect name="Engine" value={engine} disabled={state.mode === 'edit'} onChange={(e) => set(['Engine'], e.target.value)}>
                {ENGINES.map(([v, name]) => (
                  <option key={v} value={v}>
                    {t.has(`engines.${name}` as 'engines.FILE') ? t(`engines.${name}` as 'engines.FILE') : fmt.engine(v)}
                  </option>
                ))}
              </NativeSelect>
            </EditField>
            <EditField label={tf('OwnerDevice')} issues={issues} path={['OwnerDevice']}>
              <NativeSelect name="OwnerDevice" value={String(draft.OwnerDevice ?? '')} onChange={(e) => set(['OwnerDevice'], e.target.value)}>
                <option value="">{t('item.anyDevice')}</option>
                {Object.entries(devices).map(([id, d]) => (
                  <option key={id} value={id}>
                    {d.FriendlyName || id}
                  </option>
                ))}
              </NativeSelect>
            </EditField>
          </div>
          {isFile ? (
            <>
              <div className="grid gap-4 sm:grid-cols-2">
                <LinesField name="includes" label={t('item.includes')} hint={t('item.includesHint')} value={props(draft, 'INCLUDE')} onChange={(v) => setDraft((d) => withProps(d, 'INCLUDE', v))} issues={issues} path={['EngineProps', 'INCLUDE0']} />
                <LinesField name="excludes" label={t('item.excludes')} hint={t('item.excludesHint')} value={props(draft, 'EXCLUDE')} onChange={(v) => setDraft((d) => withProps(d, 'EXCLUDE', v))} issues={issues} path={['EngineProps', 'EXCLUDE0']} />
                <LinesField name="PreExec" label={t('item.preExec')} hint={t('item.commandsHint')} value={(draft.PreExec as string[] | undefined) ?? []} onChange={(v) => set(['PreExec'], v)} issues={issues} path={['PreExec']} />
                <LinesField name="PostExec" label={t('item.postExec')} hint={t('item.commandsHint')} value={(draft.PostExec as string[] | undefined) ?? []} onChange={(v) => set(['PostExec'], v)} issues={issues} path={['PostExec']} />
              </div>
              <fieldset className="grid gap-3 rounded-md border p-3">
                <legend className="px-1 text-sm font-medium">{t('item.retentionTitle')}</legend>
                {Object.keys(vaults).length === 0 && <p className="text-sm text-muted-foreground">{t('item.noVaults')}</p>}
                {Object.entries(vaults).map(([vaultId, v]) => (
                  <RetentionOverride
                    key={vaultId}
                    label={v.Description || vaultId}
                    vaultId={vaultId}
                    policy={overrides[vaultId]}
                    issues={issues}
                    onChange={(policy) => {
                      const next = { ...overrides };
                      if (policy) next[vaultId] = policy;
                      else delete next[vaultId];
                      set(['OverrideDestinationRetention'], next);
                    }}
                  />
                ))}
              </fieldset>
            </>
          ) : (
            <EditField label={t('item.json')} hint={t('item.jsonHint')} issues={issues} path={['EngineProps']}>
              <Textarea name="json" dir="ltr" rows={10} className="font-mono text-xs" value={jsonText} onChange={(e) => setJsonText(e.target.value)} />
            </EditField>
          )}
          {jsonError && (
            <span className="text-xs text-destructive" role="alert">
              {jsonError}
            </span>
          )}
          <OtherIssues issues={issues} shown={shown} />
          {error && <Alert tone="error">{error}</Alert>}
          <DialogActions onCancel={onClose} submitLabel={t('save')} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** Off (the vault's default retention applies) or a policy: keep everything, or delete all except ranges. */
function RetentionOverride({ label, vaultId, policy, issues, onChange }: { label: string; vaultId: string; policy: Json | undefined; issues: TConfigIssue[]; onChange: (p: Json | null) => void }) {
  const t = useTranslations('backupConfig.retention');
  const base: Path = ['OverrideDestinationRetention', vaultId];
  const ranges = ((policy?.Ranges as Json[] | undefined) ?? []).map((r) => ({ ...r }));
  return (
    <div className="grid gap-2" data-retention={vaultId}>
      <label className="flex items-center gap-2 text-sm">
        <Checkbox checked={policy !== undefined} onChange={(e) => onChange(e.target.checked ? { Mode: RetentionMode.RETENTIONMODE_DELETE_EXCEPT, Ranges: [{ Type: 900, Jobs: 30 }] } : null)} />
        {t('override', { vault: label })}
      </label>
      {policy && (
        <div className="grid gap-2 ps-6">
          <NativeSelect aria-label={t('mode')} value={Number(policy.Mode)} onChange={(e) => onChange({ ...policy, Mode: Number(e.target.value) })}>
            <option value={RetentionMode.RETENTIONMODE_KEEP_EVERYTHING}>{t('keepEverything')}</option>
            <option value={RetentionMode.RETENTIONMODE_DELETE_EXCEPT}>{t('deleteExcept')}</option>
          </NativeSelect>
          <FieldError issues={issues} path={[...base, 'Mode']} />
          {Number(policy.Mode) === RetentionMode.RETENTIONMODE_DELETE_EXCEPT && (
            <>
              {ranges.map((r, i) => {
                const field = RANGE_VALUE[Number(r.Type)] ?? 'Jobs';
                return (
                  <div key={i} className="flex items-center gap-2">
                    <NativeSelect aria-label={t('rangeType')} value={Number(r.Type)} onChange={(e) => onChange({ ...policy, Ranges: ranges.map((x, j) => (j === i ? { Type: Number(e.target.value), [RANGE_VALUE[Number(e.target.value)] ?? 'Jobs']: Number(x[field] ?? 0) } : x)) })}>
                      {RANGE_TYPES.map(([k, v]) => (
                        <option key={v} value={v}>
                          {t(`ranges.${k.replace('RETENTIONRANGE_', '')}` as 'ranges.MOST_RECENT_X_JOBS')}
                        </option>
                      ))}
                    </NativeSelect>
                    <Input aria-label={t('rangeValue')} type="number" min={0} className="w-28" value={Number(r[field] ?? 0)} onChange={(e) => onChange({ ...policy, Ranges: ranges.map((x, j) => (j === i ? { ...x, [field]: Math.trunc(Number(e.target.value)) } : x)) })} />
                    <Button type="button" variant="ghost" size="sm" onClick={() => onChange({ ...policy, Ranges: ranges.filter((_, j) => j !== i) })}>
                      {t('removeRange')}
                    </Button>
                  </div>
                );
              })}
              <FieldError issues={issues} path={[...base, 'Ranges']} />
              <div>
                <Button type="button" variant="outline" size="sm" onClick={() => onChange({ ...policy, Ranges: [...ranges, { Type: 900, Jobs: 10 }] })}>
                  {t('addRange')}
                </Button>
              </div>
            </>
          )}
        </div>
      )}
    </div>
  );
}
