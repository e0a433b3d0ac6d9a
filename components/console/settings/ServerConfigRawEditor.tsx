'use client';
// Settings → Server → Advanced: the whole ServerConfigOptions as JSON, as admin/meta/server-config/get answers it
// (secrets are "" and a "" secret saved back keeps the stored one), saved through server-config/set, which checks
// every part before applying any. For the fields no page edits (ListenAddresses, AdminUsers, ExperimentalOptions…).
// Organizations are left out (the page drops them: server-config/set never changes them, and they grow with every tenant).
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { saveRawServerConfig } from '../../../app/(console)/settings/server/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Dialog, DialogContent } from '../../ui/dialog';
import { Textarea } from '../../ui/input';
import { DialogActions } from '../FormDialog';
import { useApiAction } from '../use-api-action';
import { useDirtyDialog } from '../use-unsaved-warning';

export function ServerConfigRawEditor({ json }: { json: string }) {
  const t = useTranslations('serverOps.config.raw');
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <div className="flex items-center gap-3">
          <Button variant="outline" onClick={() => { setSaved(false); setOpen(true); }}>
            {t('open')}
          </Button>
          {saved && (
            <span role="status" className="text-sm text-success">
              {t('saved')}
            </span>
          )}
        </div>
        {open && <RawDialog json={json} onClose={() => setOpen(false)} onSaved={() => { setOpen(false); setSaved(true); }} />}
      </CardContent>
    </Card>
  );
}

function RawDialog({ json, onClose, onSaved }: { json: string; onClose: () => void; onSaved: () => void }) {
  const t = useTranslations('serverOps.config.raw');
  const tc = useTranslations('common');
  const router = useRouter();
  const { run, pending, error, setError } = useApiAction();
  const unsaved = useDirtyDialog(onClose);
  const [text, setText] = useState(json);
  return (
    <Dialog open onOpenChange={(o) => !o && unsaved.requestClose()}>
      <DialogContent className="max-w-4xl" title={t('title')} description={t('dialogDescription')} closeLabel={tc('close')}>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            try {
              const value: unknown = JSON.parse(text);
              if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
            } catch {
              setError(t('notJson'));
              return;
            }
            run(
              () => saveRawServerConfig(text),
              () => {
                unsaved.markClean();
                onSaved();
                router.refresh();
              },
            );
          }}
        >
          <Textarea
            aria-label={t('title')}
            name="config"
            className="min-h-[28rem] font-mono text-xs"
            spellCheck={false}
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'raw-config-error' : undefined}
            onChange={(e) => {
              unsaved.markDirty();
              setText(e.target.value);
              if (error) setError('');
            }}
          />
          <p className="text-xs text-muted-foreground">{t('secretsHint')}</p>
          <p className="text-xs text-muted-foreground">{t('organizationsHint')}</p>
          {error && (
            <Alert tone="error" id="raw-config-error">
              {error}
            </Alert>
          )}
          <DialogActions onCancel={unsaved.requestClose} submitLabel={tc('save')} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
