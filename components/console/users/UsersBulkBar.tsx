'use client';
// The users table's bulk actions on the selected users: apply a policy, suspend / unsuspend, send an email
// report now, update the software on their online devices (admin/users/bulk, a few users per call so the
// progress bar moves and every row gets its own result), and the CSV export of the selection or of every
// user matching the search (admin/users/export, streamed). Changing actions ask for confirmation first.
import { Download, Loader2, X } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { bulkUsers, type BulkUserAction } from '../../../app/(console)/users/actions';
import { reportError } from '../ConsoleProviders';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Field, NativeSelect } from '../../ui/input';
import { DialogActions } from '../FormDialog';

export type TBulkResult = { username: string; ok: boolean; message: string };

/** Users per admin/users/bulk call: small enough that the progress bar moves, large enough to be quick. */
const BATCH = 10;

const CONFIRM: Partial<Record<BulkUserAction, 'confirmSuspend' | 'confirmPolicy' | 'confirmUpdate'>> = {
  suspend: 'confirmSuspend',
  'apply-policy': 'confirmPolicy',
  'update-software': 'confirmUpdate',
};

const LABEL: Record<BulkUserAction, 'applyPolicy' | 'suspend' | 'unsuspend' | 'sendReport' | 'updateSoftware'> = {
  'apply-policy': 'applyPolicy',
  suspend: 'suspend',
  unsuspend: 'unsuspend',
  'send-report': 'sendReport',
  'update-software': 'updateSoftware',
};

export function UsersBulkBar({
  selected,
  policies,
  onClear,
  onResults,
}: {
  selected: string[];
  policies: Record<string, string>;
  onClear: () => void;
  onResults: (results: TBulkResult[]) => void;
}) {
  const t = useTranslations('users');
  const router = useRouter();
  const [asking, setAsking] = useState<BulkUserAction | null>(null);
  const [policyId, setPolicyId] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [summary, setSummary] = useState<{ ok: number; failed: number } | null>(null);
  const [error, setError] = useState('');
  const running = progress !== null && progress.done < progress.total;

  async function run(action: BulkUserAction) {
    setAsking(null);
    setSummary(null);
    setError('');
    const names = [...selected];
    const results: TBulkResult[] = [];
    setProgress({ done: 0, total: names.length });
    onResults([]);
    for (let i = 0; i < names.length; i += BATCH) {
      const batch = names.slice(i, i + BATCH);
      try {
        const res = await bulkUsers(action, batch, action === 'apply-policy' ? policyId : undefined);
        if (!res.ok) {
          if (res.requestId) reportError({ message: res.message, requestId: res.requestId });
          else setError(res.message);
          for (const username of batch) results.push({ username, ok: false, message: res.message });
        } else {
          for (const r of res.data.Results) results.push({ username: r.Username, ok: r.Status < 400, message: r.Message });
        }
      } catch (err) {
        reportError({ message: err instanceof Error ? err.message : String(err) });
        break;
      }
      setProgress({ done: Math.min(names.length, i + batch.length), total: names.length });
      onResults([...results]);
    }
    setProgress({ done: names.length, total: names.length });
    setSummary({ ok: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length });
    router.refresh();
  }

  const start = (action: BulkUserAction) => (CONFIRM[action] ? setAsking(action) : void run(action));
  const exportSelection = `/users/export?${new URLSearchParams(selected.map((u) => ['u', u])).toString()}`;

  // Nothing selected and nothing running: no bar at all, so the table starts higher (30+ compact rows at 900 px).
  if (selected.length === 0 && !progress && !asking) return null;
  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label={t('bulk.actionsLabel')}>
        {selected.length > 0 && (
          <>
            <span className="text-sm font-medium" data-testid="users-selected">
              {t('selectedCount', { count: selected.length })}
            </span>
            <Button size="sm" variant="ghost" onClick={onClear} disabled={running}>
              <X /> {t('clearSelection')}
            </Button>
            <span className="mx-1 h-5 w-px bg-border" aria-hidden="true" />
            <Button size="sm" variant="outline" disabled={running} onClick={() => start('apply-policy')}>
              {t('bulk.applyPolicy')}
            </Button>
            <Button size="sm" variant="outline" disabled={running} onClick={() => start('suspend')}>
              {t('bulk.suspend')}
            </Button>
            <Button size="sm" variant="outline" disabled={running} onClick={() => start('unsuspend')}>
              {t('bulk.unsuspend')}
            </Button>
            <Button size="sm" variant="outline" disabled={running} onClick={() => start('send-report')}>
              {t('bulk.sendReport')}
            </Button>
            <Button size="sm" variant="outline" disabled={running} onClick={() => start('update-software')}>
              {t('bulk.updateSoftware')}
            </Button>
            <Button size="sm" variant="outline" asChild>
              <a href={exportSelection} download>
                <Download /> {t('bulk.exportSelection')}
              </a>
            </Button>
          </>
        )}
      </div>
      {progress && (
        <div className="flex items-center gap-3 text-sm" role="status" data-testid="bulk-progress">
          {running && <Loader2 className="size-4 animate-spin" aria-hidden="true" />}
          <div className="h-2 w-48 rounded bg-muted" role="progressbar" aria-label={t('bulk.progress', progress)} aria-valuenow={progress.done} aria-valuemin={0} aria-valuemax={progress.total}>
            <div className="h-2 rounded bg-primary transition-all" style={{ width: `${progress.total ? (progress.done / progress.total) * 100 : 0}%` }} />
          </div>
          <span>{t('bulk.progress', progress)}</span>
          {summary && <span className={summary.failed ? 'text-destructive' : 'text-success'}>{t('bulk.summary', summary)}</span>}
        </div>
      )}
      {error && <Alert tone="error">{error}</Alert>}
      {asking && (
        <Dialog open onOpenChange={(o) => !o && setAsking(null)}>
          <DialogContent title={t('bulk.confirmTitle', { action: t(`bulk.${LABEL[asking]}`), count: selected.length })} description={t(`bulk.${CONFIRM[asking]!}`)}>
            <form
              className="grid gap-4"
              onSubmit={(e) => {
                e.preventDefault();
                void run(asking);
              }}
            >
              {asking === 'apply-policy' && (
                <Field label={t('bulk.policyLabel')}>
                  <NativeSelect name="policy" value={policyId} onChange={(e) => setPolicyId(e.target.value)}>
                    <option value="">{t('bulk.noPolicy')}</option>
                    {Object.entries(policies)
                      .sort((a, b) => a[1].localeCompare(b[1]))
                      .map(([id, name]) => (
                        <option key={id} value={id}>
                          {name}
                        </option>
                      ))}
                  </NativeSelect>
                </Field>
              )}
              <DialogActions onCancel={() => setAsking(null)} submitLabel={t('bulk.confirm')} pending={false} destructive={asking === 'suspend'} />
            </form>
          </DialogContent>
        </Dialog>
      )}
    </div>
  );
}
