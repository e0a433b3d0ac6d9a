'use client';
// Settings → Integrations → PSA: the organization's PSA integrations (Generic, Gradient, Syncro), each with
// its grouping, alerts switch, write-only API key and custom headers, "Sync now", and the latest pushes.
import { History, Pencil, Plus, RefreshCw, Trash2 } from 'lucide-react';
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { deletePsaConfig, savePsaConfig, syncPsaNow, type PsaConfig, type PsaIntegrationStatus, type PsaPush } from '../../../app/(console)/settings/integrations/psa-actions';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Checkbox, Field, Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { DialogActions } from '../FormDialog';
import { FieldError, FieldErrorsProvider, useFieldRefusal } from '../field-errors';
import { useApiAction } from '../use-api-action';

const TYPES = [0, 1, 2] as const;

/** The dialog's inputs and the server's refusals that concern them (API field suffixes and catalogue keys). */
const PSA_FIELD_ERRORS = {
  url: ['.URL', 'psaGenericUrlEmpty', 'psaSyncroUrlEmpty', 'psaSyncroTargetInvalid'],
  partnerKey: ['.PartnerKey', 'psaPartnerKeyEmpty', 'psaPartnerKeyInvalid'],
  headers: ['.CustomHeaders', 'customHeadersNotObject', 'headerNameInvalid', 'headerReserved', 'headerValueInvalid'],
} as const;

type Editing = { index: number | null; config: PsaConfig; hasKey: boolean };

export function PsaManager({ configs, status }: { configs: PsaConfig[]; status: PsaIntegrationStatus[] }) {
  const t = useTranslations('psa');
  const router = useRouter();
  const sync = useApiAction();
  const [note, setNote] = useState('');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [historyOf, setHistoryOf] = useState<number | null>(null);
  const [warning, setWarning] = useState(false);
  return (
    <Card data-testid="psa-integrations">
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>{t('title')}</CardTitle>
          <CardDescription>{t('description')}</CardDescription>
        </div>
        <span className="inline-flex flex-wrap justify-end gap-2">
          <Button
            variant="outline"
            disabled={sync.pending || configs.length === 0}
            onClick={() =>
              sync.run(
                () => syncPsaNow(),
                () => {
                  setNote(t('syncQueued'));
                  router.refresh();
                },
              )
            }
          >
            <RefreshCw /> {t('syncNow')}
          </Button>
          <Button onClick={() => setEditing({ index: null, config: { Type: 0, URL: 'https://', AlertsDisabled: false, GroupedBy: { Users: true, Tenants: false, AccountName: false } }, hasKey: false })}>
            <Plus /> {t('add')}
          </Button>
        </span>
      </CardHeader>
      <CardContent className="grid gap-3">
        {note && <Alert tone="success">{note}</Alert>}
        {warning && <Alert tone="warning">{t('unresolved')}</Alert>}
        {sync.error && <Alert tone="error">{sync.error}</Alert>}
        {configs.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('empty')}</p>
        ) : (
          <Table>
            <THead>
              <TR className="hover:bg-transparent">
                <TH>{t('type')}</TH>
                <TH>{t('url')}</TH>
                <TH>{t('groupedBy')}</TH>
                <TH>{t('apiKey')}</TH>
                <TH>{t('lastPush')}</TH>
                <TH className="text-end">{t('actions')}</TH>
              </TR>
            </THead>
            <TBody>
              {configs.map((c, i) => (
                <PsaRow
                  key={i}
                  index={i}
                  config={c}
                  status={status[i]}
                  onEdit={() => setEditing({ index: i, config: c, hasKey: status[i]?.HasPartnerKey ?? false })}
                  onHistory={() => setHistoryOf(historyOf === i ? null : i)}
                />
              ))}
            </TBody>
          </Table>
        )}
        {historyOf !== null && status[historyOf] && <PushHistory type={configs[historyOf]?.Type ?? 0} pushes={status[historyOf].Pushes} />}
      </CardContent>
      {editing && <PsaDialog {...editing} onClose={() => setEditing(null)} onSaved={setWarning} />}
    </Card>
  );
}

function groupingLabel(t: ReturnType<typeof useTranslations<'psa'>>, g: PsaConfig['GroupedBy']): string {
  const parts = [g?.Users && t('groupUsers'), g?.Tenants && t('groupTenants'), g?.AccountName && t('groupAccountName')].filter(Boolean);
  return parts.length ? parts.join(', ') : t('groupNone');
}

function PushStatus({ push }: { push: PsaPush | undefined }) {
  const t = useTranslations('psa');
  const format = useFormatter();
  if (!push) return <span className="text-muted-foreground">{t('never')}</span>;
  const tone = push.Status === 'delivered' ? 'success' : push.Status === 'failed' ? 'destructive' : 'warning';
  const at = push.FinishedAt || push.LastAttemptAt || push.CreatedAt;
  return (
    <span className="grid gap-0.5">
      <span className="inline-flex items-center gap-2">
        <Badge variant={tone}>{t(`status.${push.Status}`)}</Badge>
        <span className="text-xs text-muted-foreground">{format.dateTime(new Date(at * 1000), { dateStyle: 'short', timeStyle: 'short' })}</span>
      </span>
      {push.LastError && <span className="max-w-72 truncate text-xs text-muted-foreground" title={push.LastError}>{push.LastError}</span>}
    </span>
  );
}

function PsaRow({ index, config, status, onEdit, onHistory }: { index: number; config: PsaConfig; status: PsaIntegrationStatus | undefined; onEdit: () => void; onHistory: () => void }) {
  const t = useTranslations('psa');
  const router = useRouter();
  const act = useApiAction();
  const typeName = t(`types.${config.Type}` as 'types.0');
  return (
    <TR data-testid={`psa-${index}`}>
      <TD className="font-medium">
        {typeName}
        {!config.AlertsDisabled && <span className="block text-xs text-muted-foreground">{t('alertsOn')}</span>}
      </TD>
      <TD className="max-w-64 truncate font-mono text-xs">{config.URL || '—'}</TD>
      <TD className="text-muted-foreground">{groupingLabel(t, config.GroupedBy)}</TD>
      <TD>{status?.HasPartnerKey ? <Badge variant="secondary">{t('keyStoredBadge')}</Badge> : <span className="text-muted-foreground">{t('noKey')}</span>}</TD>
      <TD>
        <PushStatus push={status?.Pushes[0]} />
      </TD>
      <TD className="text-end">
        <span className="inline-flex flex-wrap justify-end gap-1">
          <Button variant="outline" size="sm" onClick={onHistory}>
            <History /> {t('history')}
          </Button>
          <Button variant="outline" size="sm" aria-label={t('editLabel', { type: typeName })} onClick={onEdit}>
            <Pencil />
          </Button>
          <Button
            variant="outline"
            size="sm"
            aria-label={t('deleteLabel', { type: typeName })}
            disabled={act.pending}
            onClick={() => window.confirm(t('deleteConfirm', { type: typeName })) && act.run(() => deletePsaConfig(index), () => router.refresh())}
          >
            <Trash2 />
          </Button>
        </span>
        {act.error && <Alert tone="error">{act.error}</Alert>}
      </TD>
    </TR>
  );
}

function PushHistory({ type, pushes }: { type: number; pushes: PsaPush[] }) {
  const t = useTranslations('psa');
  const format = useFormatter();
  return (
    <div className="grid gap-2" data-testid="psa-history">
      <h3 className="text-sm font-medium">{t('historyTitle', { type: t(`types.${type}` as 'types.0') })}</h3>
      {pushes.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t('never')}</p>
      ) : (
        <Table>
          <THead>
            <TR className="hover:bg-transparent">
              <TH>{t('when')}</TH>
              <TH>{t('trigger')}</TH>
              <TH>{t('result')}</TH>
              <TH>{t('attempts')}</TH>
              <TH>{t('accounts')}</TH>
              <TH>{t('alerts')}</TH>
            </TR>
          </THead>
          <TBody>
            {pushes.map((p) => (
              <TR key={p.PushID}>
                <TD className="whitespace-nowrap">{format.dateTime(new Date(p.CreatedAt * 1000), { dateStyle: 'short', timeStyle: 'medium' })}</TD>
                <TD>{p.Trigger === 'schedule' ? t('triggerSchedule') : t('triggerManual')}</TD>
                <TD>
                  <PushStatus push={p} />
                </TD>
                <TD>{p.Attempts}</TD>
                <TD>{p.Groups}</TD>
                <TD>{p.Alerts}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}

function PsaDialog({ index, config, hasKey, onClose, onSaved }: Editing & { onClose: () => void; onSaved: (warned: boolean) => void }) {
  const t = useTranslations('psa');
  const tc = useTranslations('common');
  const router = useRouter();
  const action = useApiAction();
  const { run, pending, error, setError } = action;
  // A refused URL, key or header is shown next to it, without the API's field names; the next edit clears it.
  const formRef = useRef<HTMLFormElement>(null);
  const refusal = useFieldRefusal(formRef, action, PSA_FIELD_ERRORS);
  const [type, setType] = useState<number>(config.Type);
  const [url, setUrl] = useState(config.URL);
  const [key, setKey] = useState('');
  const [grouped, setGrouped] = useState(config.GroupedBy ?? { Users: false, Tenants: false, AccountName: false });
  const [alerts, setAlerts] = useState(!config.AlertsDisabled);
  const [headers, setHeaders] = useState<Array<[string, string]>>(Object.entries(config.CustomHeaders ?? {}));
  const hint = (base: 'urlHint' | 'keyHint') => t(`${base}.${type}` as 'urlHint.0');
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent title={index === null ? t('addTitle') : t('editTitle', { type: t(`types.${config.Type}` as 'types.0') })} description={t('dialogText')} closeLabel={tc('close')} className="max-w-2xl">
        <form
          ref={formRef}
          className="grid gap-4"
          data-testid="psa-dialog"
          onChange={() => {
            if (error) setError('');
          }}
          onSubmit={(e) => {
            e.preventDefault();
            const next: PsaConfig = {
              Type: type,
              URL: url.trim(),
              PartnerKey: key,
              AlertsDisabled: !alerts,
              GroupedBy: grouped,
              CustomHeaders: Object.fromEntries(headers.filter(([k]) => k.trim() !== '').map(([k, v]) => [k.trim(), v])),
            };
            run(
              () => savePsaConfig(index, next),
              (saved) => {
                onSaved(Array.isArray((saved as { Warnings?: unknown } | undefined)?.Warnings));
                onClose();
                router.refresh();
              },
            );
          }}
        >
          <Field label={t('type')}>
            <NativeSelect name="type" value={type} onChange={(e) => setType(Number(e.target.value))} disabled={index !== null}>
              {TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {t(`types.${ty}`)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <FieldErrorsProvider errors={refusal.errors}>
          <Field label={t('url')} hint={hint('urlHint')} error={<FieldError name="url" />}>
            <Input name="url" value={url} onChange={(e) => setUrl(e.target.value)} required={type !== 1} className="font-mono" />
          </Field>
          <Field label={t('apiKey')} hint={hasKey ? t('keyStored') : hint('keyHint')} error={<FieldError name="partnerKey" />}>
            <Input name="partnerKey" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required={!hasKey && type !== 0} />
          </Field>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t('groupedBy')}</legend>
            <p className="text-xs text-muted-foreground">{t('groupedByHint')}</p>
            <span className="flex flex-wrap gap-4">
              {(['Users', 'Tenants', 'AccountName'] as const).map((g) => (
                <label key={g} className="flex items-center gap-2 text-sm">
                  <Checkbox checked={grouped[g]} onChange={(ev) => setGrouped({ ...grouped, [g]: ev.target.checked })} />
                  {t(`group${g}`)}
                </label>
              ))}
            </span>
          </fieldset>
          <label className="flex items-center gap-2 text-sm">
            <Checkbox checked={alerts} onChange={(ev) => setAlerts(ev.target.checked)} />
            {t('sendAlerts')}
          </label>
          <fieldset name="headers" className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t('headers')}</legend>
            <p className="text-xs text-muted-foreground">{t('headersHint')}</p>
            {headers.map(([k, v], i) => (
              <div key={i} className="flex gap-2">
                <Input aria-label={t('headerName')} placeholder={t('headerName')} value={k} onChange={(e) => setHeaders(headers.map((h, j) => (j === i ? [e.target.value, h[1]] : h)))} />
                <Input aria-label={t('headerValue')} placeholder={t('headerValue')} value={v} onChange={(e) => setHeaders(headers.map((h, j) => (j === i ? [h[0], e.target.value] : h)))} />
                <Button type="button" variant="ghost" size="icon" aria-label={t('removeHeader')} onClick={() => setHeaders(headers.filter((_, j) => j !== i))}>
                  <Trash2 />
                </Button>
              </div>
            ))}
            <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => setHeaders([...headers, ['', '']])}>
              <Plus /> {t('addHeader')}
            </Button>
            <FieldError name="headers" />
          </fieldset>
          </FieldErrorsProvider>
          {error && !refusal.input && <Alert tone="error">{error}</Alert>}
          <DialogActions onCancel={onClose} submitLabel={tc('save')} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
