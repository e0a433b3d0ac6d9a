'use client';
// The user page's "Request storage vault": lists the Storage Templates of the user's organization
// (admin/request-storage-vault-providers), provisions a vault from the one chosen
// (admin/request-storage-vault) and refreshes the page, which then lists the new vault.
import { DatabasePlus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { requestVault, storageProviders } from '../../../app/(console)/settings/storage/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Field, NativeSelect } from '../../ui/input';
import { DialogActions } from '../FormDialog';
import { useApiAction } from '../use-api-action';

/** `organization`: the user's organization for a top-level admin ("" otherwise: the admin's own). */
export function RequestStorageVault({ username, organization }: { username: string; organization: string }) {
  const t = useTranslations('storage.request');
  const tc = useTranslations('common');
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [providers, setProviders] = useState<Record<string, string> | null>(null);
  const [provider, setProvider] = useState('');
  const [done, setDone] = useState('');
  const load = useApiAction();
  const act = useApiAction();
  const ids = Object.keys(providers ?? {});
  return (
    <>
      <Button
        variant="outline"
        data-testid="request-storage-vault"
        onClick={() => {
          setOpen(true);
          setProviders(null);
          setDone('');
          act.setError('');
          load.run(
            () => storageProviders(organization),
            (list) => {
              setProviders(list ?? {});
              setProvider(Object.keys(list ?? {})[0] ?? '');
            },
          );
        }}
      >
        <DatabasePlus /> {t('button')}
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent title={t('title')} description={t('description', { username })} closeLabel={tc('close')}>
          <form
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              if (!provider) return;
              act.run(
                () => requestVault(username, provider),
                () => {
                  setDone(providers?.[provider] ?? provider);
                  setOpen(false);
                  router.refresh();
                },
              );
            }}
          >
            {load.error && <Alert tone="error">{load.error}</Alert>}
            {providers === null && !load.error ? (
              <p className="text-sm text-muted-foreground">{t('loading')}</p>
            ) : ids.length === 0 ? (
              <Alert tone="info">{t('none')}</Alert>
            ) : (
              <Field label={t('provider')}>
                <NativeSelect name="StorageProvider" data-testid="request-storage-provider" value={provider} onChange={(e) => setProvider(e.target.value)}>
                  {ids.map((id) => (
                    <option key={id} value={id}>
                      {providers![id]}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
            )}
            {act.error && <Alert tone="error">{act.error}</Alert>}
            <DialogActions onCancel={() => setOpen(false)} submitLabel={act.pending ? t('requesting') : t('submit')} pending={act.pending || ids.length === 0} />
          </form>
        </DialogContent>
      </Dialog>
      {done && (
        <span role="status" className="text-sm text-success" data-testid="request-storage-done">
          {t('done', { name: done })}
        </span>
      )}
    </>
  );
}
