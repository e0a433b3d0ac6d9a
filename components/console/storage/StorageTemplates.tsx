'use client';
// Settings → Storage templates: the organization's templates (comet = a Halley Storage Role, s3 =
// S3-compatible (per-vault IAM keys with an IAM endpoint), custom = an HTTP provisioning URL, aws / wasabi
// / idrivee2 = per-vault IAM user and key, b2 = per-vault bucket or prefix and application key) with add /
// edit / test / delete. Credentials are
// write-only: the API shows them as "" and saving "" keeps the stored value. Deleting asks which
// template replaces the deleted one where policies create vaults automatically (ReplacementAutoVaultID).
// Required fields are checked here with messages in the UI language; a server refusal that names a field
// is shown under that field.
import { FlaskConical, Pencil, Plus, Trash2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { deleteTemplate, saveTemplate, testTemplate, type StorageTemplate } from '../../../app/(console)/settings/storage/actions';
import type { TenantOption } from '@/lib/adapters/console/tenant-options';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Checkbox, Field, Input, NativeSelect, Textarea } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { clearFlags, flagField } from '../field-errors';
import { DialogActions } from '../FormDialog';
import { useDirtyDialog } from '../use-unsaved-warning';
import { useApiAction } from '../use-api-action';

const TYPES = ['comet', 's3', 'aws', 'wasabi', 'idrivee2', 'b2', 'custom'] as const;
type TemplateType = (typeof TYPES)[number];
type S3Like = NonNullable<StorageTemplate['S3']>;
/** Where an S3-like type keeps its settings (Comet's RemoteStorageOption field). */
const S3_FIELD: Partial<Record<TemplateType, 'S3' | 'AWS' | 'Wasabi'>> = { s3: 'S3', idrivee2: 'S3', aws: 'AWS', wasabi: 'Wasabi' };
const PUBLIC_S3: Partial<Record<TemplateType, string>> = { aws: 's3.amazonaws.com', wasabi: 's3.wasabisys.com' };

function blankS3(): S3Like {
  return { S3Endpoint: '', IAMEndpoint: '', MasterBucket: '', AccessKey: '', SecretKey: '', ObjectLockMode: 2, ObjectLockDays: 0, RemoveDeleted: false, Region: '', Prefix: '' };
}
/** Storage limits are entered in GiB, as on the vault editor and shared quotas (billing alone counts GB of 10⁹ bytes). */
const GIB = 1024 ** 3;
/** A limit in GiB as shown: at most three decimals (a limit set over the API in bytes is rarely whole GiB). */
const inGiB = (bytes: number) => Number((bytes / GIB).toFixed(3));
const BODY_TYPES = ['none', 'json', 'form', 'urlencoded'] as const;

function blank(type: TemplateType): StorageTemplate {
  const base = { ID: '', Type: type, Description: '', StorageLimitEnabled: false, StorageLimitBytes: 0, RebrandStorage: false, Default: false };
  const field = S3_FIELD[type];
  if (field) return { ...base, [field]: blankS3() };
  if (type === 'b2') return { ...base, B2: { KeyID: '', AppKey: '', MasterBucket: '', HideDeletedFiles: false, APIEndpoint: '' } };
  if (type === 'custom') return { ...base, Custom: { URL: 'https://', CustomHeaders: {}, CustomBody: '', CustomBodyType: 'none' } };
  return { ...base, RemoteAddress: '', Username: '', Password: '' };
}

export function StorageTemplates({ templates, org, tenants }: { templates: StorageTemplate[]; org: string; tenants: TenantOption[] | null }) {
  const t = useTranslations('storage');
  const router = useRouter();
  const [editing, setEditing] = useState<{ before: StorageTemplate | null; value: StorageTemplate } | null>(null);
  const [deleting, setDeleting] = useState<StorageTemplate | null>(null);
  const [adding, setAdding] = useState<TemplateType>('s3');
  return (
    <div className="grid gap-6">
      {tenants && (
        <Field label={t('organization')} className="max-w-sm">
          <NativeSelect data-testid="storage-org" value={org} onChange={(e) => router.push(e.target.value ? `/settings/storage?org=${encodeURIComponent(e.target.value)}` : '/settings/storage')}>
            {tenants.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
      )}
      <Card>
        <CardHeader className="flex-row items-start justify-between gap-4">
          <div className="grid gap-1">
            <CardTitle>{t('title')}</CardTitle>
            <CardDescription>{t('description')}</CardDescription>
          </div>
          <div className="flex items-center gap-2">
            <NativeSelect aria-label={t('type')} data-testid="storage-add-type" className="w-60" value={adding} onChange={(e) => setAdding(e.target.value as TemplateType)}>
              {TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {t(`types.${ty}`)}
                </option>
              ))}
            </NativeSelect>
            <Button data-testid="storage-add" onClick={() => setEditing({ before: null, value: blank(adding) })}>
              <Plus /> {t('add')}
            </Button>
          </div>
        </CardHeader>
        <CardContent>
          {templates.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('empty')}</p>
          ) : (
            <Table>
              <THead>
                <TR className="hover:bg-transparent">
                  <TH>{t('descriptionField')}</TH>
                  <TH>{t('type')}</TH>
                  <TH>{t('target')}</TH>
                  <TH>{t('limit')}</TH>
                  <TH className="text-end">{t('actions')}</TH>
                </TR>
              </THead>
              <TBody>
                {templates.map((tpl) => (
                  <TR key={tpl.ID} data-testid={`storage-template-${tpl.Description}`}>
                    <TD className="font-medium">
                      {tpl.Description} {tpl.Default && <Badge variant="secondary">{t('default')}</Badge>}
                    </TD>
                    <TD>{TYPES.includes(tpl.Type as TemplateType) ? t(`types.${tpl.Type as TemplateType}`) : tpl.Type}</TD>
                    <TD className="max-w-72 truncate font-mono text-xs">{targetOf(tpl) || t('thisServer')}</TD>
                    <TD>{tpl.StorageLimitEnabled ? t('limitGiB', { gb: inGiB(tpl.StorageLimitBytes) }) : t('unlimited')}</TD>
                    <TD className="text-end">
                      <Button variant="ghost" size="sm" aria-label={t('edit')} onClick={() => setEditing({ before: tpl, value: structuredClone(tpl) })}>
                        <Pencil />
                      </Button>
                      <Button variant="ghost" size="sm" aria-label={t('delete')} onClick={() => setDeleting(tpl)}>
                        <Trash2 />
                      </Button>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
      {editing && <TemplateDialog org={org} before={editing.before} initial={editing.value} onClose={() => setEditing(null)} onSaved={() => router.refresh()} />}
      {deleting && <DeleteDialog org={org} template={deleting} others={templates.filter((x) => x.ID !== deleting.ID)} onClose={() => setDeleting(null)} onDone={() => router.refresh()} />}
    </div>
  );
}

function targetOf(tpl: StorageTemplate): string {
  const field = S3_FIELD[tpl.Type as TemplateType];
  if (field) {
    const s = tpl[field];
    return [s?.S3Endpoint || PUBLIC_S3[tpl.Type as TemplateType], s?.MasterBucket].filter(Boolean).join(' · ');
  }
  if (tpl.Type === 'b2') return [tpl.B2?.APIEndpoint || 'api.backblazeb2.com', tpl.B2?.MasterBucket].filter(Boolean).join(' · ');
  if (tpl.Type === 'custom') return tpl.Custom?.URL ?? '';
  return tpl.RemoteAddress ?? '';
}

const FIELD_KEYS = ['Description', 'RemoteAddress', 'S3Endpoint', 'IAMEndpoint', 'AccessKey', 'SecretKey', 'KeyID', 'AppKey', 'APIEndpoint', 'URL', 'StorageLimitBytes', 'Headers'] as const;
type FieldKey = (typeof FIELD_KEYS)[number];
/** Inputs whose name is not their FieldKey. */
const INPUT_NAME: Partial<Record<FieldKey, string>> = { StorageLimitBytes: 'StorageLimitGiB', Headers: 'CustomHeaders' };

/** The input where a type's address is entered: a refused address (outbound guard, malformed) is shown there. */
const ADDRESS_FIELD: Record<TemplateType, FieldKey> = { comet: 'RemoteAddress', s3: 'S3Endpoint', aws: 'S3Endpoint', wasabi: 'S3Endpoint', idrivee2: 'S3Endpoint', b2: 'APIEndpoint', custom: 'URL' };

/**
 * The input a server refusal concerns: the API field it names (RemoteStorageOptions[0].S3.S3Endpoint ...), else its
 * catalogue key (a refusal about the whole template that is really about one of its inputs).
 */
function fieldOfError(type: TemplateType, apiField: string | undefined, key: string | undefined): FieldKey | null {
  const m = apiField ? /^(?:RemoteStorageOptions\[\d+\]|TemplateOptions)\.(?:S3\.|AWS\.|Wasabi\.|B2\.|Custom\.)?(\w+)$/.exec(apiField) : null;
  const name = m?.[1];
  if (name === 'CustomHeaders') return 'Headers';
  if (name && (FIELD_KEYS as readonly string[]).includes(name)) return name as FieldKey;
  if (key === 'templateLimitPositive') return 'StorageLimitBytes';
  if (key === 'templateRemoteAddressInvalid') return 'RemoteAddress';
  // fieldCause on the template itself: the outbound guard refused its address.
  if (key === 'templateAddressInvalid' || (key === 'fieldCause' && !name)) return ADDRESS_FIELD[type] ?? null;
  return null;
}

function headersText(h: Record<string, string> | undefined): string {
  return Object.keys(h ?? {})
    .map((k) => `${k}: ${h![k]}`)
    .join('\n');
}

function TemplateDialog({ org, before, initial, onClose, onSaved }: { org: string; before: StorageTemplate | null; initial: StorageTemplate; onClose: () => void; onSaved: () => void }) {
  const t = useTranslations('storage');
  const tc = useTranslations('common');
  const [v, setV] = useState<StorageTemplate>(initial);
  const [headers, setHeaders] = useState(headersText(initial.Custom?.CustomHeaders));
  const [limitGb, setLimitGb] = useState(initial.StorageLimitEnabled ? String(inGiB(initial.StorageLimitBytes)) : '');
  // The limit shown is rounded to 0.001 GiB: the stored bytes are kept unless the admin edits the field.
  const [limitEdited, setLimitEdited] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const [tested, setTested] = useState<{ ok: boolean; message: string } | null>(null);
  const unsaved = useDirtyDialog(onClose);
  const save = useApiAction();
  const test = useApiAction();
  const isNew = before === null;
  const type = v.Type as TemplateType;
  const s3Field = S3_FIELD[type];
  const s3: S3Like = (s3Field && v[s3Field]) || blankS3();
  const b2 = v.B2 ?? { KeyID: '', AppKey: '', MasterBucket: '' };
  const custom = v.Custom!;
  const setS3 = (patch: Partial<S3Like>) => s3Field && setV({ ...v, [s3Field]: { ...s3, ...patch } });
  const setB2 = (patch: Partial<NonNullable<StorageTemplate['B2']>>) => setV({ ...v, B2: { ...b2, ...patch } });
  /** aws and wasabi have the provider's public endpoints; the fields only override them. */
  const publicEndpoints = type === 'aws' || type === 'wasabi';
  const setCustom = (patch: Partial<NonNullable<StorageTemplate['Custom']>>) => setV({ ...v, Custom: { ...custom, ...patch } });

  /** The template to send, or null with the field errors shown (in the UI language). */
  function built(): StorageTemplate | null {
    const e: Partial<Record<FieldKey, string>> = {};
    if (!v.Description.trim()) e.Description = t('errors.required');
    const gb = Number(limitGb);
    if (v.StorageLimitEnabled && !(gb > 0)) e.StorageLimitBytes = t('errors.limit');
    if (v.Type === 'comet' && v.RemoteAddress && !/^https?:\/\/\S+$/i.test(v.RemoteAddress)) e.RemoteAddress = t('errors.url');
    if (s3Field) {
      if (!publicEndpoints && !s3.S3Endpoint.trim()) e.S3Endpoint = t('errors.required');
      if (type === 'idrivee2' && !s3.IAMEndpoint?.trim()) e.IAMEndpoint = t('errors.required');
      for (const k of ['S3Endpoint', 'IAMEndpoint'] as const) if (s3[k]?.trim() && /\s/.test(s3[k]!.trim())) e[k] = t('errors.url');
      if (!s3.AccessKey.trim()) e.AccessKey = t('errors.required');
      if (isNew && !s3.SecretKey) e.SecretKey = t('errors.required');
    }
    if (type === 'b2') {
      if (!b2.KeyID.trim()) e.KeyID = t('errors.required');
      if (isNew && !b2.AppKey) e.AppKey = t('errors.required');
      if (b2.APIEndpoint && !/^https?:\/\/\S+$/i.test(b2.APIEndpoint)) e.APIEndpoint = t('errors.url');
    }
    const parsed: Record<string, string> = {};
    if (v.Type === 'custom') {
      if (!/^https?:\/\/\S+$/i.test(custom.URL)) e.URL = t('errors.url');
      for (const line of headers.split('\n')) {
        if (!line.trim()) continue;
        const at = line.indexOf(':');
        if (at <= 0) e.Headers = t('errors.header', { line: line.slice(0, 60) });
        else parsed[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
    }
    setErrors(e);
    if (Object.keys(e).length) return null;
    const out: StorageTemplate = { ...v, Description: v.Description.trim(), StorageLimitBytes: !v.StorageLimitEnabled ? 0 : !limitEdited && initial.StorageLimitEnabled && initial.StorageLimitBytes > 0 ? initial.StorageLimitBytes : Math.round(gb * GIB) };
    if (v.Type === 'custom') out.Custom = { ...custom, CustomHeaders: parsed };
    return out;
  }

  /** Shows a refusal next to its input, in words about that input (no API field name); false when it names none. */
  function serverError(res: { message: string; messageKey?: string; messageField?: string; messageDetail?: string; messageFieldFree?: string }) {
    const field = fieldOfError(type, res.messageField, res.messageKey);
    if (field) setErrors({ [field]: res.messageDetail || res.messageFieldFree || res.message });
    return field !== null;
  }

  // The first input with a message is marked invalid, points at its message and takes the focus.
  const formRef = useRef<HTMLFormElement>(null);
  const firstError = FIELD_KEYS.find((k) => errors[k]);
  useEffect(() => {
    clearFlags(formRef.current);
    if (firstError) flagField(formRef.current, INPUT_NAME[firstError] ?? firstError);
  }, [firstError, errors]);

  const err = (k: FieldKey) =>
    errors[k] ? (
      <span id={`field-error-${INPUT_NAME[k] ?? k}`} role="alert" className="text-xs text-destructive" data-testid={`storage-error-${k}`}>
        {errors[k]}
      </span>
    ) : null;

  return (
    <Dialog open onOpenChange={(o) => !o && unsaved.requestClose()}>
      <DialogContent title={isNew ? t('addTitle', { type: t(`types.${v.Type as TemplateType}`) }) : t('editTitle', { name: initial.Description })} closeLabel={tc('close')} className="max-w-2xl">
        <form
          ref={formRef}
          className="grid gap-4"
          onChange={() => {
            unsaved.markDirty();
            // Messages about the previous attempt (and a test result of the previous values) no longer apply.
            if (Object.keys(errors).length) setErrors({});
            if (save.error) save.setError('');
            if (test.error) test.setError('');
            if (tested) setTested(null);
          }}
          onSubmit={(e) => {
            e.preventDefault();
            const out = built();
            if (!out) return;
            save.run(
              async () => {
                const res = await saveTemplate(org, before, out, t('changed'));
                // Shown next to its input instead of above the buttons.
                if (!res.ok && !res.requestId && serverError(res)) return { ...res, message: '' } as typeof res;
                return res;
              },
              () => {
                unsaved.markClean();
                onClose();
                onSaved();
              },
            );
          }}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('descriptionField')} className="sm:col-span-2">
              <Input name="Description" value={v.Description} onChange={(e) => setV({ ...v, Description: e.target.value })} />
              {err('Description')}
            </Field>
            {v.Type === 'comet' && (
              <>
                <Field label={t('remoteAddress')} hint={t('remoteAddressHint')} className="sm:col-span-2">
                  <Input name="RemoteAddress" value={v.RemoteAddress ?? ''} placeholder="https://storage.example.com" onChange={(e) => setV({ ...v, RemoteAddress: e.target.value })} />
                  {err('RemoteAddress')}
                </Field>
                {v.RemoteAddress ? (
                  <>
                    <Field label={t('adminUsername')}>
                      <Input name="Username" value={v.Username ?? ''} onChange={(e) => setV({ ...v, Username: e.target.value })} />
                    </Field>
                    <Field label={t('adminPassword')} hint={isNew ? undefined : t('secretKept')}>
                      <Input name="Password" type="password" autoComplete="new-password" value={v.Password ?? ''} onChange={(e) => setV({ ...v, Password: e.target.value })} />
                    </Field>
                  </>
                ) : null}
              </>
            )}
            {s3Field && (
              <>
                {publicEndpoints && <p className="text-sm text-muted-foreground sm:col-span-2">{t('perVaultKeys')}</p>}
                <Field label={t('s3Endpoint')} hint={publicEndpoints ? t('endpointOverrideHint', { host: PUBLIC_S3[type]! }) : t('s3EndpointHint')} className="sm:col-span-2">
                  <Input name="S3Endpoint" value={s3.S3Endpoint} placeholder={publicEndpoints ? `https://${PUBLIC_S3[type]}` : 'https://s3.example.com'} onChange={(e) => setS3({ S3Endpoint: e.target.value })} />
                  {err('S3Endpoint')}
                </Field>
                <Field label={t('iamEndpoint')} hint={publicEndpoints ? t('endpointOverrideHint', { host: PUBLIC_S3[type]!.replace(/^s3\./, 'iam.') }) : type === 'idrivee2' ? t('iamEndpointRequiredHint') : t('iamEndpointHint')} className="sm:col-span-2">
                  <Input name="IAMEndpoint" value={s3.IAMEndpoint ?? ''} placeholder={publicEndpoints ? `https://${PUBLIC_S3[type]!.replace(/^s3\./, 'iam.')}` : 'https://iam.example.com'} onChange={(e) => setS3({ IAMEndpoint: e.target.value })} />
                  {err('IAMEndpoint')}
                </Field>
                <Field label={t('region')}>
                  <Input name="Region" value={s3.Region} placeholder="us-east-1" onChange={(e) => setS3({ Region: e.target.value })} />
                </Field>
                <Field label={t('accessKey')}>
                  <Input name="AccessKey" value={s3.AccessKey} onChange={(e) => setS3({ AccessKey: e.target.value })} />
                  {err('AccessKey')}
                </Field>
                <Field label={t('secretKey')} hint={isNew ? undefined : t('secretKept')}>
                  <Input name="SecretKey" type="password" autoComplete="new-password" value={s3.SecretKey} onChange={(e) => setS3({ SecretKey: e.target.value })} />
                  {err('SecretKey')}
                </Field>
                <Field label={t('masterBucket')} hint={t('masterBucketHint')}>
                  <Input name="MasterBucket" value={s3.MasterBucket} onChange={(e) => setS3({ MasterBucket: e.target.value })} />
                </Field>
                <Field label={t('prefix')}>
                  <Input name="Prefix" value={s3.Prefix} onChange={(e) => setS3({ Prefix: e.target.value })} />
                </Field>
                <Field label={t('objectLock')}>
                  <NativeSelect name="ObjectLockMode" value={String(s3.ObjectLockMode ?? 2)} onChange={(e) => setS3({ ObjectLockMode: Number(e.target.value) })}>
                    <option value="2">{t('objectLockOff')}</option>
                    <option value="1">{t('objectLockOn')}</option>
                  </NativeSelect>
                </Field>
                {s3.ObjectLockMode === 1 && (
                  <Field label={t('objectLockDays')}>
                    <Input name="ObjectLockDays" type="number" min={0} value={String(s3.ObjectLockDays ?? 0)} onChange={(e) => setS3({ ObjectLockDays: Number(e.target.value) })} />
                  </Field>
                )}
                <label className="flex items-center gap-2 text-sm sm:col-span-2">
                  <Checkbox checked={s3.RemoveDeleted ?? false} onChange={(e) => setS3({ RemoveDeleted: e.target.checked })} />
                  {t('removeDeleted')}
                </label>
              </>
            )}
            {type === 'b2' && (
              <>
                <p className="text-sm text-muted-foreground sm:col-span-2">{t('b2PerVaultKeys')}</p>
                <Field label={t('keyId')}>
                  <Input name="KeyID" value={b2.KeyID} onChange={(e) => setB2({ KeyID: e.target.value })} />
                  {err('KeyID')}
                </Field>
                <Field label={t('appKey')} hint={isNew ? undefined : t('secretKept')}>
                  <Input name="AppKey" type="password" autoComplete="new-password" value={b2.AppKey} onChange={(e) => setB2({ AppKey: e.target.value })} />
                  {err('AppKey')}
                </Field>
                <Field label={t('masterBucket')} hint={t('masterBucketHint')}>
                  <Input name="MasterBucket" value={b2.MasterBucket} onChange={(e) => setB2({ MasterBucket: e.target.value })} />
                </Field>
                <Field label={t('b2ApiEndpoint')} hint={t('endpointOverrideHint', { host: 'api.backblazeb2.com' })}>
                  <Input name="APIEndpoint" value={b2.APIEndpoint ?? ''} placeholder="https://api.backblazeb2.com" onChange={(e) => setB2({ APIEndpoint: e.target.value })} />
                  {err('APIEndpoint')}
                </Field>
                <label className="flex items-center gap-2 text-sm sm:col-span-2">
                  <Checkbox checked={b2.HideDeletedFiles ?? false} onChange={(e) => setB2({ HideDeletedFiles: e.target.checked })} />
                  {t('hideDeletedFiles')}
                </label>
              </>
            )}
            {v.Type === 'custom' && (
              <>
                <Field label={t('url')} hint={t('urlHint')} className="sm:col-span-2">
                  <Input name="URL" value={custom.URL} onChange={(e) => setCustom({ URL: e.target.value })} />
                  {err('URL')}
                </Field>
                <Field label={t('headers')} hint={isNew ? t('headersHint') : `${t('headersHint')} ${t('secretKept')}`} className="sm:col-span-2">
                  <Textarea name="CustomHeaders" value={headers} placeholder="Authorization: Bearer …" onChange={(e) => setHeaders(e.target.value)} />
                  {err('Headers')}
                </Field>
                <Field label={t('bodyType')}>
                  <NativeSelect name="CustomBodyType" value={custom.CustomBodyType ?? 'none'} onChange={(e) => setCustom({ CustomBodyType: e.target.value })}>
                    {BODY_TYPES.map((b) => (
                      <option key={b} value={b}>
                        {t(`bodyTypes.${b}`)}
                      </option>
                    ))}
                  </NativeSelect>
                </Field>
                {custom.CustomBodyType && custom.CustomBodyType !== 'none' && (
                  <Field label={t('body')} className="sm:col-span-2">
                    <Textarea name="CustomBody" value={custom.CustomBody ?? ''} onChange={(e) => setCustom({ CustomBody: e.target.value })} />
                  </Field>
                )}
              </>
            )}
            <label className="flex items-center gap-2 text-sm">
              <Checkbox name="StorageLimitEnabled" checked={v.StorageLimitEnabled} onChange={(e) => setV({ ...v, StorageLimitEnabled: e.target.checked })} />
              {t('limitEnabled')}
            </label>
            {v.StorageLimitEnabled && (
              <Field label={t('limitGiBField')}>
                <Input name="StorageLimitGiB" type="number" min={0} step="any" value={limitGb} onChange={(e) => {
                    setLimitGb(e.target.value);
                    setLimitEdited(true);
                  }}
                />
                {err('StorageLimitBytes')}
              </Field>
            )}
            <label className="flex items-center gap-2 text-sm sm:col-span-2">
              <Checkbox name="Default" checked={v.Default} onChange={(e) => setV({ ...v, Default: e.target.checked })} />
              {t('defaultField')}
            </label>
            <label className="flex items-center gap-2 text-sm sm:col-span-2">
              <Checkbox name="RebrandStorage" checked={v.RebrandStorage} onChange={(e) => setV({ ...v, RebrandStorage: e.target.checked })} />
              {t('rebrand')}
            </label>
          </div>
          {tested && (
            <Alert tone={tested.ok ? 'success' : 'error'} data-testid="storage-test-result">
              {tested.ok ? t('testOk', { message: tested.message }) : tested.message}
            </Alert>
          )}
          {(save.error || test.error) && <Alert tone="error">{save.error || test.error}</Alert>}
          <div className="flex flex-wrap items-center justify-between gap-2">
            <Button
              type="button"
              variant="outline"
              data-testid="storage-test"
              disabled={test.pending}
              onClick={() => {
                const out = built();
                if (!out) return;
                setTested(null);
                test.run(
                  async () => {
                    const res = await testTemplate(org, out);
                    // A refused test is a result to show, not a failed action.
                    if (!res.ok && !res.requestId) return { ok: true as const, data: { Status: res.status ?? 400, Message: res.message } };
                    return res;
                  },
                  (r) => setTested({ ok: r.Status === 200, message: r.Message }),
                );
              }}
            >
              <FlaskConical /> {test.pending ? t('testing') : t('test')}
            </Button>
            <DialogActions onCancel={unsaved.requestClose} submitLabel={save.pending ? tc('saving') : tc('save')} pending={save.pending} />
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function DeleteDialog({ org, template, others, onClose, onDone }: { org: string; template: StorageTemplate; others: StorageTemplate[]; onClose: () => void; onDone: () => void }) {
  const t = useTranslations('storage');
  const tc = useTranslations('common');
  const [replacement, setReplacement] = useState('');
  const act = useApiAction();
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent title={t('deleteTitle', { name: template.Description })} description={t('deleteText')} closeLabel={tc('close')}>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            act.run(
              () => deleteTemplate(org, template, replacement, t('changed')),
              () => {
                onClose();
                onDone();
              },
            );
          }}
        >
          <Field label={t('replacement')} hint={t('replacementHint')}>
            <NativeSelect name="ReplacementAutoVaultID" data-testid="storage-replacement" value={replacement} onChange={(e) => setReplacement(e.target.value)}>
              <option value="">{t('replacementNone')}</option>
              {others.map((o) => (
                <option key={o.ID} value={o.ID}>
                  {o.Description}
                </option>
              ))}
            </NativeSelect>
          </Field>
          {act.error && <Alert tone="error">{act.error}</Alert>}
          <DialogActions onCancel={onClose} submitLabel={t('delete')} pending={act.pending} destructive />
        </form>
      </DialogContent>
    </Dialog>
  );
}
