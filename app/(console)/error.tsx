'use client';
// A page that failed to render: a readable message with the reference Next logged the error under,
// the console around it intact, and a retry. Never a blank page.
import { useTranslations } from 'next-intl';
import { useEffect } from 'react';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { reportError } from '../../components/console/ConsoleProviders';

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('errors');
  useEffect(() => {
    reportError({ message: t('pageFailed'), requestId: error.digest });
  }, [error, t]);
  return (
    <div className="mx-auto grid max-w-lg gap-4 py-16">
      <Alert tone="error">
        <p className="font-medium">{t('pageFailed')}</p>
        {error.digest && (
          <p className="mt-1 text-xs">
            {t('requestId')} <code>{error.digest}</code>
          </p>
        )}
      </Alert>
      <Button variant="outline" onClick={reset} className="justify-self-start">
        {t('retry')}
      </Button>
    </div>
  );
}
