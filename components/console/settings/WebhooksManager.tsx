'use client';
// Settings → Integrations: webhooks (add, edit, delete, pause), the event types each receives, custom
// headers, a test delivery, the signing secret, and the delivery log with redeliver.
import { KeyRound, Pencil, Plus, RefreshCw, Send, Trash2 } from 'lucide-react';
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import {
  deleteWebhook,
  listDeliveries,
  redeliver,
  saveWebhook,
  setAllowPrivateTargets,
  testWebhook,
  webhookSecret,
  type Delivery,
  type WebhookOption,
} from '../../../app/(console)/settings/integrations/actions';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Checkbox, Field, Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { clearFlags, FieldError, FieldErrorsProvider, fieldForError, flagField } from '../field-errors';
import { DialogActions } from '../FormDialog';
import { eventTypeConstant, useFormat } from '../format';
import { useApiAction } from '../use-api-action';
import { useDirtyForm } from '../use-unsaved-warning';

/** The dialog's inputs and the server's refusals that concern them (the API field an error names). */
const WEBHOOK_FIELD_ERRORS = { url: ['.URL'] } as const;

type EventType = { name: string; code: number };

export function WebhooksManager({ webhooks, eventTypes, allowPrivate, scope }: { webhooks: Record<string, WebhookOption>; eventTypes: EventType[]; allowPrivate: boolean | null; scope: 'server' | 'tenant' }) {
  const t = useTranslations('settings.integrations');
  const router = useRouter();
  const [editing, setEditing] = useState<{ id: string; option: WebhookOption; isNew: boolean } | null>(null);
  const [logFor, setLogFor] = useState<string | null>(null);
  const settings = useApiAction();
  const [allowPrivateNow, setAllowPrivateNow] = useState(allowPrivate);
  /** A webhook saved although its host does not resolve yet (the guard decides at each delivery). */
  const [unresolved, setUnresolved] = useState<{ id: string; host: string; details: string[] } | null>(null);
  const entries = Object.entries(webhooks).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader className="flex-row items-start justify-between gap-4">
          <div className="grid gap-1">
            <CardTitle>{t('title')}</CardTitle>
            <CardDescription>{scope === 'server' ? t('descriptionServer') : t('descriptionTenant')}</CardDescription>
          </div>
          <Button onClick={() => setEditing({ id: '', option: { URL: 'https://', Level: 'full', CustomHeaders: {}, WhiteListedEventTypes: [] }, isNew: true })}>
            <Plus /> {t('add')}
          </Button>
        </CardHeader>
        <CardContent className="grid gap-3">
          {unresolved && (
            <Alert tone="warning" data-testid="webhook-unresolved">
              {t('unresolvedHost', { id: unresolved.id, host: unresolved.host })}
              {/* The server's own words (its Warnings, already in the UI language): the resolver's answer. */}
              {unresolved.details.map((d) => (
                <span key={d} className="mt-1 block text-xs text-muted-foreground" data-testid="webhook-unresolved-detail">
                  {d}
                </span>
              ))}
            </Alert>
          )}
          {entries.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('empty')}</p>
          ) : (
            <Table>
              <THead>
                <TR className="hover:bg-transparent">
                  <TH>{t('id')}</TH>
                  <TH>{t('url')}</TH>
                  <TH>{t('events')}</TH>
                  <TH>{t('state')}</TH>
                  <TH className="text-end">{t('actions')}</TH>
                </TR>
              </THead>
              <TBody>
                {entries.map(([id, w]) => (
                  <WebhookRow key={id} id={id} option={w} eventTypes={eventTypes} onEdit={() => setEditing({ id, option: w, isNew: false })} onLog={() => setLogFor(logFor === id ? null : id)} />
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
      {logFor && webhooks[logFor] && <DeliveryLog id={logFor} />}
      {allowPrivate !== null && (
        <Card>
          <CardHeader>
            <CardTitle>{t('ssrfTitle')}</CardTitle>
            <CardDescription>{t('ssrfText')}</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-2">
            <label className="flex items-center gap-2 text-sm">
              <Checkbox
                checked={allowPrivateNow ?? false}
                disabled={settings.pending}
                onChange={(e) => {
                  const next = e.target.checked;
                  setAllowPrivateNow(next);
                  settings.run(
                    async () => {
                      const res = await setAllowPrivateTargets(next);
                      if (!res.ok) setAllowPrivateNow(!next);
                      return res;
                    },
                    () => router.refresh(),
                  );
                }}
              />
              {t('allowPrivate')}
            </label>
            {settings.error && <Alert tone="error">{settings.error}</Alert>}
          </CardContent>
        </Card>
      )}
      {editing && <WebhookDialog {...editing} eventTypes={eventTypes} onClose={() => setEditing(null)} onSaved={setUnresolved} />}
    </div>
  );
}

function WebhookRow({ id, option, eventTypes, onEdit, onLog }: { id: string; option: WebhookOption; eventTypes: EventType[]; onEdit: () => void; onLog: () => void }) {
  const t = useTranslations('settings.integrations');
  const f = useFormat();
  const router = useRouter();
  const act = useApiAction();
  const [secret, setSecret] = useState('');
  const [note, setNote] = useState('');
  const types = option.WhiteListedEventTypes ?? [];
  return (
    <>
      <TR data-testid={`webhook-${id}`}>
        <TD className="font-medium">{id}</TD>
        <TD className="max-w-72 truncate font-mono text-xs">{option.URL}</TD>
        <TD className="text-muted-foreground">{types.length === 0 ? t('allEvents') : types.map((c) => f.eventType(c, eventTypes.find((e) => e.code === c)?.name)).join(', ')}</TD>
        <TD>{option.Level === 'none' ? <Badge variant="secondary">{t('paused')}</Badge> : <Badge variant="success">{t('active')}</Badge>}</TD>
        <TD className="text-end">
          <span className="inline-flex flex-wrap justify-end gap-1">
            <Button variant="outline" size="sm" onClick={onLog}>
              {t('log')}
            </Button>
            <Button variant="outline" size="sm" disabled={act.pending} onClick={() => act.run(() => testWebhook(id), () => setNote(t('testSent')))}>
              <Send /> {t('test')}
            </Button>
            <Button variant="outline" size="sm" disabled={act.pending} onClick={() => act.run(() => webhookSecret(id, false), (d) => setSecret(d.Secret))}>
              <KeyRound /> {t('secret')}
            </Button>
            <Button variant="ghost" size="icon" aria-label={t('edit', { id })} onClick={onEdit}>
              <Pencil />
            </Button>
            <Button
              variant="ghost"
              size="icon"
              aria-label={t('delete', { id })}
              disabled={act.pending}
              onClick={() => {
                if (window.confirm(t('deleteConfirm', { id }))) act.run(() => deleteWebhook(id), () => router.refresh());
              }}
            >
              <Trash2 />
            </Button>
          </span>
        </TD>
      </TR>
      {(secret || note || act.error) && (
        <TR className="hover:bg-transparent">
          <TD colSpan={5}>
            {note && <p className="text-sm text-success" role="status">{note}</p>}
            {act.error && <Alert tone="error">{act.error}</Alert>}
            {secret && (
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="text-muted-foreground">{t('secretLabel')}</span>
                <code data-testid="webhook-secret">{secret}</code>
                <Button variant="outline" size="sm" onClick={() => act.run(() => webhookSecret(id, true), (d) => setSecret(d.Secret))}>
                  <RefreshCw /> {t('rotate')}
                </Button>
                <Button variant="ghost" size="sm" onClick={() => setSecret('')}>
                  {t('hide')}
                </Button>
              </div>
            )}
          </TD>
        </TR>
      )}
    </>
  );
}

function WebhookDialog({
  id,
  option,
  isNew,
  eventTypes,
  onClose,
  onSaved,
}: {
  id: string;
  option: WebhookOption;
  isNew: boolean;
  eventTypes: EventType[];
  onClose: () => void;
  onSaved: (unresolved: { id: string; host: string; details: string[] } | null) => void;
}) {
  const t = useTranslations('settings.integrations');
  const tc = useTranslations('common');
  const f = useFormat();
  const router = useRouter();
  const { run, pending, error, errorKey, errorField, errorDetail, setError } = useApiAction();
  const unsaved = useDirtyForm();
  // A refused URL is shown next to its input: the server's reason (in the UI language), without the API's field name.
  const formRef = useRef<HTMLFormElement>(null);
  const errorInput = error ? fieldForError(errorKey, WEBHOOK_FIELD_ERRORS, errorField) : undefined;
  useEffect(() => {
    clearFlags(formRef.current);
    if (errorInput) flagField(formRef.current, errorInput);
  }, [errorInput, error]);
  const [name, setName] = useState(id);
  const [url, setUrl] = useState(option.URL);
  const [level, setLevel] = useState(option.Level || 'full');
  const [types, setTypes] = useState<number[]>(option.WhiteListedEventTypes ?? []);
  const [headers, setHeaders] = useState<Array<[string, string]>>(Object.entries(option.CustomHeaders ?? {}));
  const [filter, setFilter] = useState('');
  // The filter matches the label and the constant name (integrators know the SEVT_ names).
  const shown = eventTypes.filter((e) => `${f.eventType(e.code, e.name)} ${e.name}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent title={isNew ? t('addTitle') : t('editTitle', { id })} description={t('dialogText')} closeLabel={tc('close')} className="max-w-2xl">
        <form
          ref={formRef}
          onChange={() => {
            unsaved.markDirty();
            // A message about the previous attempt no longer applies once the admin edits.
            if (error) setError('');
          }}
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const option2: WebhookOption = {
              URL: url.trim(),
              Level: level,
              WhiteListedEventTypes: types,
              CustomHeaders: Object.fromEntries(headers.filter(([k]) => k.trim() !== '').map(([k, v]) => [k.trim(), v])),
            };
            run(
              () => saveWebhook(name.trim(), option2, isNew, t('exists', { id: name.trim() })),
              (saved) => {
                const warnings = (saved as { Warnings?: unknown } | undefined)?.Warnings;
                onSaved(Array.isArray(warnings) ? { id: name.trim(), host: hostOf(option2.URL), details: warnings.filter((w): w is string => typeof w === 'string').map(warningDetail) } : null);
                onClose();
                router.refresh();
              },
            );
          }}
        >
          <FieldErrorsProvider errors={errorInput ? { [errorInput]: errorDetail || t('fieldErrors.url') } : {}}>
          <div className="grid gap-4 sm:grid-cols-[1fr_2fr]">
            <Field label={t('id')}>
              <Input name="id" value={name} onChange={(e) => setName(e.target.value)} required disabled={!isNew} maxLength={100} />
            </Field>
            <Field label={t('url')} error={<FieldError name="url" />}>
              <Input name="url" value={url} onChange={(e) => setUrl(e.target.value)} required type="url" className="font-mono" />
            </Field>
          </div>
          </FieldErrorsProvider>
          <Field label={t('state')}>
            <NativeSelect value={level} onChange={(e) => setLevel(e.target.value)}>
              <option value="full">{t('active')}</option>
              <option value="none">{t('paused')}</option>
            </NativeSelect>
          </Field>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t('events')}</legend>
            <p className="text-xs text-muted-foreground">{t('eventsHint')}</p>
            <Input aria-label={t('filterEvents')} placeholder={t('filterEvents')} className="h-8" value={filter} onChange={(e) => setFilter(e.target.value)} />
            <div className="grid max-h-48 gap-1 overflow-auto rounded-md border p-2 sm:grid-cols-2" data-testid="event-types">
              {shown.map((e) => (
                <label key={e.code} className="flex items-center gap-2 text-sm" title={e.name}>
                  <Checkbox checked={types.includes(e.code)} onChange={(ev) => setTypes(ev.target.checked ? [...types, e.code] : types.filter((c) => c !== e.code))} />
                  {f.eventType(e.code, e.name)}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="grid gap-2">
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
          </fieldset>
          {error && !errorInput && <Alert tone="error">{error}</Alert>}
          <DialogActions onCancel={onClose} submitLabel={tc('save')} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}

function DeliveryLog({ id }: { id: string }) {
  const t = useTranslations('settings.integrations.deliveries');
  const format = useFormatter();
  const f = useFormat();
  const { run, pending, error } = useApiAction();
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [status, setStatus] = useState('');
  const load = (s = status) => run(() => listDeliveries(id, s), (d) => setRows(d.Deliveries));
  useEffect(() => {
    setRows(null);
    run(() => listDeliveries(id, ''), (d) => setRows(d.Deliveries));
    setStatus('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  const time = (s: number) => (s ? format.dateTime(new Date(s * 1000), { dateStyle: 'short', timeStyle: 'medium' }) : '—');
  const tone = (s: Delivery['Status']) => (s === 'delivered' ? 'success' : s === 'failed' ? 'destructive' : 'warning');
  return (
    <Card data-testid="delivery-log">
      <CardHeader className="flex-row items-center justify-between gap-3">
        <CardTitle>{t('title', { id })}</CardTitle>
        <span className="flex items-center gap-2">
          <NativeSelect
            aria-label={t('status')}
            className="h-8 w-40 py-0"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              load(e.target.value);
            }}
          >
            <option value="">{t('all')}</option>
            <option value="pending">{t('pending')}</option>
            <option value="delivered">{t('delivered')}</option>
            <option value="failed">{t('failed')}</option>
          </NativeSelect>
          <Button variant="outline" size="sm" onClick={() => load()} disabled={pending}>
            <RefreshCw /> {t('refresh')}
          </Button>
        </span>
      </CardHeader>
      <CardContent>
        {error && <Alert tone="error">{error}</Alert>}
        {rows && rows.length === 0 && <p className="text-sm text-muted-foreground">{t('empty')}</p>}
        {rows && rows.length > 0 && (
          <Table>
            <THead>
              <TR className="hover:bg-transparent">
                <TH>{t('event')}</TH>
                <TH>{t('resource')}</TH>
                <TH>{t('status')}</TH>
                <TH>{t('attempts')}</TH>
                <TH>{t('response')}</TH>
                <TH>{t('lastAttempt')}</TH>
                <TH className="text-end">{t('actions')}</TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((d) => (
                <TR key={d.DeliveryID} data-testid="delivery-row">
                  <TD title={eventTypeConstant(d.Type, d.TypeString) || undefined}>{f.eventType(d.Type, d.TypeString)}</TD>
                  <TD>{d.ResourceID || '—'}</TD>
                  <TD>
                    <Badge variant={tone(d.Status)}>{t(d.Status)}</Badge>
                  </TD>
                  <TD className="tabular-nums">{d.Attempts}</TD>
                  <TD>
                    {d.ResponseCode || '—'}
                    {d.LastError && <span className="block max-w-64 truncate text-xs text-destructive" title={d.LastError}>{d.LastError}</span>}
                  </TD>
                  <TD className="text-xs">{time(d.LastAttemptAt)}</TD>
                  <TD className="text-end">
                    {d.Status !== 'pending' && (
                      <Button variant="outline" size="sm" disabled={pending} onClick={() => run(() => redeliver(d.DeliveryID), () => load())}>
                        {t('redeliver')}
                      </Button>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

/** A warning without the API's field path ("WebhookOptions[\"x\"].URL: "): the dialog already names the webhook. */
function warningDetail(warning: string): string {
  const text = warning.replace(/^WebhookOptions\[.*?\]\.URL:\s*/, '');
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
