'use client';
// Asks the workers to compute the ledger days of the shown range that have no snapshot yet.
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { requestBackfill } from '../../../app/(console)/billing/actions';
import { Button } from '../../ui/button';
import { useApiAction } from '../use-api-action';

export function BackfillButton({ days, org }: { days: number; org: string }) {
  const t = useTranslations('billing');
  const { run, pending, error } = useApiAction();
  const [done, setDone] = useState(false);
  return (
    <span className="flex items-center gap-3">
      <Button variant="outline" disabled={pending} onClick={() => run(() => requestBackfill(days, org), () => setDone(true))}>
        {t('backfill')}
      </Button>
      {done && (
        <span role="status" className="text-sm text-success">
          {t('backfillRequested')}
        </span>
      )}
      {error && (
        <span role="alert" className="text-sm text-destructive">
          {error}
        </span>
      )}
    </span>
  );
}
