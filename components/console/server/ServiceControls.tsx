'use client';
// Settings → Server: which node answered (version, start time) and its restart / shutdown, each behind a
// confirmation. The request reaches only the node that takes it (behind a load balancer: any one of them);
// the page says so. Without `npm start`'s supervisor the endpoint's reason is shown as it comes.
import { useTranslations } from 'next-intl';
import { useFormat } from '../format';
import { useState } from 'react';
import { restartService, shutdownService } from '../../../app/(console)/settings/server/actions';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../ui/card';
import { Dialog, DialogContent } from '../../ui/dialog';
import { DialogActions } from '../FormDialog';
import { useApiAction } from '../use-api-action';

type Action = 'restart' | 'shutdown';

export function ServiceControls({ version, startedAt }: { version: string; startedAt: number }) {
  const t = useTranslations('serverOps.service');
  const tc = useTranslations('common');
  const fmt = useFormat();
  const { run, pending, error, setError } = useApiAction();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [done, setDone] = useState<Action | null>(null);

  const confirm = (action: Action) =>
    run(
      () => (action === 'restart' ? restartService() : shutdownService()),
      () => {
        setConfirming(null);
        setDone(action);
      },
    );

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('title')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
          <dt className="text-muted-foreground">{t('version')}</dt>
          <dd data-testid="server-version">{version}</dd>
          <dt className="text-muted-foreground">{t('startedAt')}</dt>
          <dd>{fmt.dateTime(startedAt, 'dateTimeSeconds')}</dd>
        </dl>
        <Alert tone="info">{t('oneNode')}</Alert>
        {done && <Alert tone="success">{done === 'restart' ? t('restartRequested') : t('shutdownRequested')}</Alert>}
        {!confirming && error && <Alert tone="error">{error}</Alert>}
        <div className="flex gap-2">
          <Button variant="outline" disabled={pending} onClick={() => { setError(''); setConfirming('restart'); }}>
            {t('restart')}
          </Button>
          <Button variant="destructive" disabled={pending} onClick={() => { setError(''); setConfirming('shutdown'); }}>
            {t('shutdown')}
          </Button>
        </div>
      </CardContent>
      <Dialog open={confirming !== null} onOpenChange={(o) => !o && setConfirming(null)}>
        {confirming && (
          <DialogContent title={confirming === 'restart' ? t('restartConfirmTitle') : t('shutdownConfirmTitle')} description={confirming === 'restart' ? t('restartConfirm') : t('shutdownConfirm')} closeLabel={tc('close')}>
            <form
              className="grid gap-4"
              onSubmit={(e) => {
                e.preventDefault();
                confirm(confirming);
              }}
            >
              {error && <Alert tone="error">{error}</Alert>}
              <DialogActions onCancel={() => setConfirming(null)} submitLabel={confirming === 'restart' ? t('restart') : t('shutdown')} pending={pending} destructive={confirming === 'shutdown'} />
            </form>
          </DialogContent>
        )}
      </Dialog>
    </Card>
  );
}
