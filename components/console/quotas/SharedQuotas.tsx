'use client';
// Settings → Shared quotas: every shared storage quota the admin may see with how full it is, and a dialog to
// create or edit one (id, description, limit in GiB, organization for the top level) or delete it. Vaults join a
// quota in the vault editor ("Shared storage quota").
import { Plus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { deleteSharedQuota, saveSharedQuota, type SharedQuota } from '../../../app/(console)/settings/quotas/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Field, Input, NativeSelect } from '../../ui/input';
import { Table, TBody, TD, TH, THead, TR } from '../../ui/table';
import { DialogActions } from '../FormDialog';
import { useDirtyDialog } from '../use-unsaved-warning';
import { useFormat } from '../format';
import { FieldError, FieldErrorsProvider, useFieldRefusal } from '../field-errors';
import { useApiAction } from '../use-api-action';

export type QuotaRow = { id: string; quota: SharedQuota; hash: string; used: number };
type Tenants = Array<{ id: string; name: string }> | null;

const GIB = 1024 ** 3;

/** The dialog's inputs and the server's refusals that concern them (API field suffixes and catalogue keys). */
const QUOTA_FIELD_ERRORS = { id: ['sharedQuotaIdInvalid'], description: ['.Description'], limit: ['.LimitBytes', 'sharedQuotaLimitInvalid'] } as const;

export function SharedQuotas({ rows, tenants }: { rows: QuotaRow[]; tenants: Tenants }) {
  const t = useTranslations('sharedQuotas');
  const fmt = useFormat();
  const router = useRouter();
  const [editing, setEditing] = useState<QuotaRow | 'new' | null>(null);
  const { run, pending, error } = useApiAction();
  return (
    <div className="grid gap-4">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h2 className="text-lg font-semibold">{t('title')}</h2>
          <p className="max-w-3xl text-sm text-muted-foreground">{t('description')}</p>
        </div>
        <Button onClick={() => setEditing('new')}>
          <Plus /> {t('new')}
        </Button>
      </div>
      {error && <Alert tone="error">{error}</Alert>}
      <div className="rounded-lg border bg-card">
        <Table>
          <THead>
            <TR className="hover:bg-transparent">
              <TH>{t('id')}</TH>
              <TH>{t('descriptionLabel')}</TH>
              {tenants && <TH>{t('tenant')}</TH>}
              <TH>{t('usage')}</TH>
              <TH>
                <span className="sr-only">{t('actions')}</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {rows.length === 0 && (
              <TR>
                <TD colSpan={5} className="py-10 text-center text-muted-foreground">
                  {t('empty')}
                </TD>
              </TR>
            )}
            {rows.map((row) => {
              const share = row.quota.LimitBytes > 0 ? row.used / row.quota.LimitBytes : 0;
              return (
                <TR key={row.id} data-testid={`quota-${row.id}`}>
                  <TD className="font-mono text-xs">{row.id}</TD>
                  <TD>{row.quota.Description || '—'}</TD>
                  {tenants && <TD>{tenants.find((o) => o.id === row.quota.OrganizationID)?.name ?? row.quota.OrganizationID}</TD>}
                  <TD>
                    <div className="grid min-w-48 gap-1">
                      <span className="text-sm">{t('usageOf', { used: fmt.bytes(row.used), limit: fmt.bytes(row.quota.LimitBytes), percent: Math.round(share * 100) })}</span>
                      <div className="h-1.5 w-full rounded bg-muted" role="meter" aria-label={t('usage')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.min(100, Math.round(share * 100))}>
                        <div className={`h-1.5 rounded ${share >= 1 ? 'bg-destructive' : share >= 0.9 ? 'bg-warning' : 'bg-primary'}`} style={{ width: `${Math.min(100, share * 100)}%` }} />
                      </div>
                    </div>
                  </TD>
                  <TD className="whitespace-nowrap text-end">
                    <Button variant="outline" size="sm" onClick={() => setEditing(row)}>
                      {t('edit')}
                    </Button>{' '}
                    <Button
                      variant="outline"
                      size="sm"
                      disabled={pending}
                      onClick={() => window.confirm(t('deleteConfirm', { id: row.id })) && run(() => deleteSharedQuota(row.id), () => router.refresh())}
                    >
                      {t('delete')}
                    </Button>
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      </div>
      {editing && <QuotaDialog row={editing === 'new' ? null : editing} tenants={tenants} existing={rows.map((r) => r.id)} onClose={() => setEditing(null)} onSaved={() => router.refresh()} />}
    </div>
  );
}

function QuotaDialog({ row, tenants, existing, onClose, onSaved }: { row: QuotaRow | null; tenants: Tenants; existing: string[]; onClose: () => void; onSaved: () => void }) {
  const t = useTranslations('sharedQuotas');
  const tc = useTranslations('common');
  const action = useApiAction();
  const { run, pending, error, setError } = action;
  const [errors, setErrors] = useState<{ id?: string; limit?: string }>({});
  const unsaved = useDirtyDialog(onClose);
  // The browser's own checks first, then a refusal of the server next to the input it concerns.
  const formRef = useRef<HTMLFormElement>(null);
  const refusal = useFieldRefusal(formRef, action, QUOTA_FIELD_ERRORS);
  const shown: Record<string, string> = errors.id || errors.limit ? Object.fromEntries(Object.entries(errors).filter(([, v]) => v)) : refusal.errors;
  return (
    <Dialog open onOpenChange={(o) => !o && unsaved.requestClose()}>
      <DialogContent title={row ? t('editTitle', { id: row.id }) : t('newTitle')} closeLabel={tc('close')}>
        <form
          className="grid gap-4"
          data-testid="quota-dialog"
          ref={formRef}
          onChange={() => {
            unsaved.markDirty();
            // A refusal speaks of the previous attempt.
            if (error) setError('');
          }}
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const id = row ? row.id : String(f.get('id') ?? '').trim();
            const gib = Number(String(f.get('limit') ?? '').replace(',', '.'));
            const next: typeof errors = {};
            if (!row && (!id || id.length > 255)) next.id = t('errors.id');
            else if (!row && existing.includes(id)) next.id = t('errors.idTaken');
            if (!Number.isFinite(gib) || gib <= 0) next.limit = t('errors.limit');
            setErrors(next);
            if (next.id || next.limit) return;
            const quota: SharedQuota = {
              Description: String(f.get('description') ?? '').trim(),
              OrganizationID: row ? row.quota.OrganizationID : tenants ? String(f.get('organization') ?? '') : '',
              LimitBytes: Math.round(gib * GIB),
            };
            run(() => saveSharedQuota(id, quota, row?.hash), () => {
              unsaved.markClean();
              onClose();
              onSaved();
            });
          }}
        >
          <FieldErrorsProvider errors={shown}>
          {!row && (
            <Field label={t('id')} hint={t('idHint')} error={<FieldError name="id" />}>
              <Input name="id" required maxLength={255} autoFocus aria-invalid={errors.id ? true : undefined} aria-describedby={errors.id ? 'field-error-id' : undefined} onChange={() => setErrors((x) => ({ ...x, id: undefined }))} />
            </Field>
          )}
          <Field label={t('descriptionLabel')} error={<FieldError name="description" />}>
            <Input name="description" maxLength={255} defaultValue={row?.quota.Description ?? ''} />
          </Field>
          <Field label={t('limitGiB')} error={<FieldError name="limit" />}>
            <Input
              name="limit"
              type="number"
              min={0}
              step="any"
              required
              defaultValue={row ? String(Math.round((row.quota.LimitBytes / GIB) * 1000) / 1000) : ''}
              aria-invalid={errors.limit ? true : undefined}
              aria-describedby={errors.limit ? 'field-error-limit' : undefined}
              onChange={() => setErrors((x) => ({ ...x, limit: undefined }))}
            />
          </Field>
          </FieldErrorsProvider>
          {!row && tenants && (
            <Field label={t('tenant')}>
              <NativeSelect name="organization" defaultValue="">
                {tenants.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          )}
          {error && !refusal.input && <Alert tone="error">{error}</Alert>}
          <DialogActions onCancel={unsaved.requestClose} submitLabel={row ? tc('save') : t('create')} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
