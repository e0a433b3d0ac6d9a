'use client';
// Add / edit / duplicate a Storage Vault (DestinationConfig): a form per common DESTINATIONTYPE_ and a
// raw-JSON editor for the others. Credentials are write-only (SecretField); a duplicate starts with the
// copied settings and empty credentials, since stored secrets never leave the server.
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { DESTINATIONTYPE } from '../../../../lib/comet/constants';
import { Alert } from '../../../ui/alert';
import { Checkbox, Input, NativeSelect, Textarea } from '../../../ui/input';
import { Dialog, DialogContent } from '../../../ui/dialog';
import { DialogActions } from '../../FormDialog';
import { SharedQuotaSelect } from '../../quotas/SharedQuotaSelect';
import { EditField, FieldError, OtherIssues, SecretField, getPath, setPath, useEntrySave, type Json, type Path } from './shared';
import { useDirtyForm } from '../../use-unsaved-warning';

type FieldKind = 'text' | 'secret' | 'secretText' | 'bool' | 'number' | 'select';
/** `hint`: the field has a help text, backupConfig.fieldHints.<its key>. */
type FieldDef = { path: Path; kind: FieldKind; options?: Array<[number, string]>; placeholder?: string; hint?: true };

const T = DESTINATIONTYPE;
/** The form of each common type; every other type is edited as JSON. */
const VAULT_FORMS: Record<number, FieldDef[]> = {
  [T.DESTINATIONTYPE_S3]: [
    { path: ['S3Server'], kind: 'text', placeholder: 's3.example.com:9000' },
    { path: ['S3UsesTLS'], kind: 'bool' },
    { path: ['S3CustomRegion'], kind: 'text', placeholder: 'us-east-1' },
    { path: ['S3BucketName'], kind: 'text' },
    { path: ['S3Subdir'], kind: 'text' },
    { path: ['S3AccessKey'], kind: 'text' },
    { path: ['S3SecretKey'], kind: 'secret' },
    { path: ['S3UsesV2Signing'], kind: 'bool' },
    { path: ['S3RemoveDeleted'], kind: 'bool' },
    { path: ['S3ObjectLockMode'], kind: 'select', options: [[0, 'objectLockLegacy'], [1, 'objectLockOn'], [2, 'objectLockOff']] },
    { path: ['S3ObjectLockDays'], kind: 'number' },
  ],
  [T.DESTINATIONTYPE_COMET]: [
    { path: ['CometServer'], kind: 'text', placeholder: 'https://storage.example.com/' },
    { path: ['CometBucket'], kind: 'text' },
    { path: ['CometBucketKey'], kind: 'secret' },
  ],
  [T.DESTINATIONTYPE_LOCALCOPY]: [
    { path: ['LocalcopyPath'], kind: 'text', placeholder: 'D:\\Backups' },
    { path: ['LocalcopyWinSMBUsername'], kind: 'text' },
    { path: ['LocalcopyWinSMBPassword'], kind: 'secret' },
  ],
  [T.DESTINATIONTYPE_SFTP]: [
    { path: ['SFTPServer'], kind: 'text', placeholder: 'sftp.example.com:22' },
    { path: ['SFTPUsername'], kind: 'text' },
    { path: ['SFTPRemotePath'], kind: 'text' },
    { path: ['SFTPAuthMode'], kind: 'select', options: [[0, 'sftpNative'], [1, 'sftpPassword'], [2, 'sftpPrivateKey']] },
    { path: ['SFTPPassword'], kind: 'secret' },
    { path: ['SFTPPrivateKey'], kind: 'secretText' },
  ],
  [T.DESTINATIONTYPE_FTP]: [
    { path: ['FTPServer'], kind: 'text', placeholder: 'ftp.example.com' },
    { path: ['FTPPort'], kind: 'number' },
    { path: ['FTPSMode'], kind: 'select', options: [[0, 'ftpsPlain'], [2, 'ftpsExplicit'], [1, 'ftpsImplicit']] },
    { path: ['FTPAcceptInvalidSSL'], kind: 'bool' },
    { path: ['FTPUsername'], kind: 'text' },
    { path: ['FTPPassword'], kind: 'secret' },
    { path: ['FTPBaseUseHomeDirectory'], kind: 'bool' },
    { path: ['FTPCustomBaseDirectory'], kind: 'text', placeholder: '/backups' },
    { path: ['FTPMaxConnections'], kind: 'number' },
  ],
  [T.DESTINATIONTYPE_B2]: [
    { path: ['B2', 'AccountID'], kind: 'text' },
    { path: ['B2', 'Key'], kind: 'secret' },
    { path: ['B2', 'Bucket'], kind: 'text' },
    { path: ['B2', 'Prefix'], kind: 'text' },
    { path: ['B2', 'HideDeletedFiles'], kind: 'bool' },
  ],
  [T.DESTINATIONTYPE_AZUREBLOB]: [
    { path: ['AZBAccountName'], kind: 'text' },
    { path: ['AZBAccountKey'], kind: 'secret' },
    { path: ['AZBContainer'], kind: 'text' },
    { path: ['AZBRealm'], kind: 'text', placeholder: 'core.windows.net', hint: true },
    { path: ['AZBPrefix'], kind: 'text' },
  ],
  [T.DESTINATIONTYPE_WEBDAV]: [
    { path: ['WebDav', 'DavServer'], kind: 'text', placeholder: 'https://dav.example.com/remote.php/dav' },
    { path: ['WebDav', 'UserName'], kind: 'text' },
    { path: ['WebDav', 'AccessKey'], kind: 'secret' },
    { path: ['WebDav', 'Path'], kind: 'text' },
  ],
  [T.DESTINATIONTYPE_SMB]: [
    // The agent connects to port 445 unless SMBServer names another; a domain account is DOMAIN\user.
    { path: ['SMB', 'SMBServer'], kind: 'text', placeholder: 'nas.example.lan' },
    { path: ['SMB', 'SMBShare'], kind: 'text', placeholder: 'backups' },
    { path: ['SMB', 'SMBDirectory'], kind: 'text' },
    { path: ['SMB', 'SMBUsername'], kind: 'text', placeholder: 'OFFICE\\ana' },
    { path: ['SMB', 'SMBPassword'], kind: 'secret' },
  ],
};

/** Types offered when adding a vault (every real DESTINATIONTYPE_). */
const TYPE_CHOICES = Object.entries(DESTINATIONTYPE)
  .filter(([k]) => !['DESTINATIONTYPE___INVALID', 'DESTINATIONTYPE_ERROR', 'DESTINATIONTYPE_ALL', 'DESTINATIONTYPE_LATEST'].includes(k))
  .map(([k, v]) => [v, k.replace('DESTINATIONTYPE_', '')] as const)
  .sort((a, b) => a[0] - b[0]);

const GIB = 1024 ** 3;
/** Fields the form itself owns; the JSON editor shows the rest. */
const COMMON = ['Description', 'DestinationType', 'StorageLimitEnabled', 'StorageLimitBytes', 'StorageLimitID', 'CreateTime', 'ModifyTime', 'Statistics'];

type VaultEditorState = { id: string; vault: Json; sealed: string[]; mode: 'add' | 'edit' | 'duplicate'; copiedSecrets?: boolean };

export function VaultEditor({ username, hash, state, onClose }: { username: string; hash: string; state: VaultEditorState; onClose: () => void }) {
  const unsaved = useDirtyForm();
  const t = useTranslations('backupConfig');
  const tf = useTranslations('backupConfig.fields');
  const tc = useTranslations('common');
  const [draft, setDraft] = useState<Json>(state.vault);
  const [jsonText, setJsonText] = useState(() => jsonOf(state.vault));
  const [jsonError, setJsonError] = useState('');
  const { save, pending, error, issues } = useEntrySave(username, hash, 'Destinations');
  const type = Number(draft.DestinationType ?? 0);
  const form = VAULT_FORMS[type];
  const set = (path: Path, v: unknown) => setDraft((d) => setPath(d, path, v));
  const shown = ['Description', 'DestinationType', 'StorageLimitBytes', 'StorageLimitID', ...(form ?? []).map((f) => f.path.join('.'))];
  const title = t(`vault.${state.mode}Title`);

  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent title={title} className="max-h-[90vh] max-w-2xl overflow-y-auto" closeLabel={tc('close')}>
        <form
          onChange={unsaved.markDirty}
          className="grid gap-4"
          data-testid="vault-editor"
          onSubmit={(e) => {
            e.preventDefault();
            let value = draft;
            if (!form) {
              try {
                value = { ...JSON.parse(jsonText || '{}'), Description: draft.Description, DestinationType: type, StorageLimitEnabled: draft.StorageLimitEnabled, StorageLimitBytes: draft.StorageLimitBytes, StorageLimitID: draft.StorageLimitID ?? '' };
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
            <EditField label={tf('DestinationType')} issues={issues} path={['DestinationType']}>
              <NativeSelect name="DestinationType" value={type} disabled={state.mode === 'edit'} onChange={(e) => set(['DestinationType'], Number(e.target.value))}>
                {TYPE_CHOICES.map(([v, name]) => (
                  <option key={v} value={v}>
                    {t.has(`types.${name}` as 'types.S3') ? t(`types.${name}` as 'types.S3') : name}
                  </option>
                ))}
              </NativeSelect>
            </EditField>
          </div>
          {form ? (
            <div className="grid gap-4 sm:grid-cols-2">
              {form
                .filter((f) => visible(f, draft))
                .map((f) => (
                  <VaultField key={f.path.join('.')} def={f} draft={draft} set={set} sealed={state.sealed.includes(f.path.join('.'))} issues={issues} />
                ))}
            </div>
          ) : (
            <EditField label={t('vault.json')} hint={t('vault.jsonHint')} issues={issues} path={[]}>
              <Textarea name="json" dir="ltr" rows={10} className="font-mono text-xs" value={jsonText} onChange={(e) => setJsonText(e.target.value)} />
            </EditField>
          )}
          <div className="grid gap-2 sm:grid-cols-2">
            <label className="flex items-center gap-2 text-sm">
              <Checkbox name="StorageLimitEnabled" checked={draft.StorageLimitEnabled === true} onChange={(e) => set(['StorageLimitEnabled'], e.target.checked)} /> {tf('StorageLimitEnabled')}
            </label>
            <div className="grid gap-1">
              <label className="grid gap-1 text-sm">
                <span className="text-muted-foreground">{tf('StorageLimitGiB')}</span>
                {/* Any precision: a template's limit in GB (10^9 bytes) is a fraction of a GiB, and a step would make the
                    browser refuse to submit the whole form. Shown rounded; the stored bytes change only when edited. */}
                <Input
                  name="StorageLimitGiB"
                  type="number"
                  min={0}
                  step="any"
                  disabled={draft.StorageLimitEnabled !== true}
                  value={Number((Number(draft.StorageLimitBytes ?? 0) / GIB).toFixed(3))}
                  onChange={(e) => set(['StorageLimitBytes'], Math.round(Number(e.target.value) * GIB))}
                />
              </label>
              <FieldError issues={issues} path={['StorageLimitBytes']} />
            </div>
          </div>
          <SharedQuotaSelect username={username} value={typeof draft.StorageLimitID === 'string' ? draft.StorageLimitID : ''} onChange={(id) => set(['StorageLimitID'], id)} />
          {state.copiedSecrets && <Alert tone="info">{t('vault.duplicateSecrets')}</Alert>}
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

function visible(f: FieldDef, draft: Json): boolean {
  const key = f.path.join('.');
  if (key === 'SFTPPassword') return Number(draft.SFTPAuthMode ?? 0) === 1;
  if (key === 'SFTPPrivateKey') return Number(draft.SFTPAuthMode ?? 0) === 2;
  if (key === 'S3ObjectLockDays') return Number(draft.S3ObjectLockMode ?? 0) === 1;
  return true;
}

function VaultField({ def, draft, set, sealed, issues }: { def: FieldDef; draft: Json; set: (p: Path, v: unknown) => void; sealed: boolean; issues: Parameters<typeof EditField>[0]['issues'] }) {
  const t = useTranslations('backupConfig');
  const tf = useTranslations('backupConfig.fields');
  const th = useTranslations('backupConfig.fieldHints');
  const key = def.path.join('.');
  const label = tf(`${key.replace('.', '_')}` as 'S3Server');
  const value = getPath(draft, def.path);
  switch (def.kind) {
    case 'secret':
    case 'secretText':
      return <SecretField label={label} sealed={sealed} value={String(value ?? '')} onChange={(v) => set(def.path, v)} issues={issues} path={def.path} multiline={def.kind === 'secretText'} />;
    case 'bool':
      return (
        <label className="flex items-center gap-2 self-end text-sm">
          <Checkbox name={key} checked={value === true} onChange={(e) => set(def.path, e.target.checked)} /> {label}
        </label>
      );
    case 'number':
      return (
        <EditField label={label} issues={issues} path={def.path}>
          <Input name={key} type="number" min={0} value={Number(value ?? 0)} onChange={(e) => set(def.path, Math.trunc(Number(e.target.value)))} />
        </EditField>
      );
    case 'select':
      return (
        <EditField label={label} issues={issues} path={def.path}>
          <NativeSelect name={key} value={Number(value ?? 0)} onChange={(e) => set(def.path, Number(e.target.value))}>
            {def.options!.map(([v, k]) => (
              <option key={v} value={v}>
                {t(`options.${k}` as 'options.objectLockOn')}
              </option>
            ))}
          </NativeSelect>
        </EditField>
      );
    default:
      return (
        <EditField label={label} hint={def.hint ? th(`${key.replace('.', '_')}` as 'AZBRealm') : undefined} issues={issues} path={def.path}>
          <Input name={key} value={String(value ?? '')} placeholder={def.placeholder} onChange={(e) => set(def.path, e.target.value)} />
        </EditField>
      );
  }
}

function jsonOf(vault: Json): string {
  const rest: Json = {};
  for (const [k, v] of Object.entries(vault)) if (!COMMON.includes(k)) rest[k] = v;
  return JSON.stringify(rest, null, 2);
}
