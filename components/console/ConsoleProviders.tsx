'use client';
// Console-wide client state: the "advanced options" switch, and the error popup that shows internal
// errors with their request id (reportError from anywhere; never a blank page).
import { useLocale, useTranslations } from 'next-intl';
import { Direction } from 'radix-ui';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { Button } from '../ui/button';
import { Dialog, DialogClose, DialogContent } from '../ui/dialog';
import { localeDirection } from '../../lib/i18n/locales';
import { LengthCutNotice } from './LengthCutNotice';
import { TimeZoneSync } from './TimeZoneSync';

const AdvancedContext = createContext(false);
export const useAdvanced = () => useContext(AdvancedContext);

type ReportedError = { message: string; requestId?: string };
const listeners = new Set<(e: ReportedError) => void>();

/** Shows the error popup. Errors the admin can fix (validation) belong next to the form instead. */
export function reportError(error: ReportedError): void {
  for (const l of listeners) l(error);
}

export function ConsoleProviders({ advanced, children }: { advanced: boolean; children: ReactNode }) {
  // Radix menus and dialogs follow the page's writing direction (Hebrew: right to left).
  const dir = localeDirection(useLocale());
  return (
    <Direction.Provider dir={dir}>
      <AdvancedContext.Provider value={advanced}>
        {children}
        <ErrorPopup />
        <TimeZoneSync />
        <LengthCutNotice />
      </AdvancedContext.Provider>
    </Direction.Provider>
  );
}

function ErrorPopup() {
  const t = useTranslations('errors');
  const [error, setError] = useState<ReportedError | null>(null);
  const show = useCallback((e: ReportedError) => setError(e), []);
  useEffect(() => {
    listeners.add(show);
    return () => void listeners.delete(show);
  }, [show]);
  return (
    <Dialog open={error !== null} onOpenChange={(open) => !open && setError(null)}>
      {error && (
        <DialogContent title={t('title')} description={t('intro')} role="alertdialog">
          <p className="text-sm" data-testid="error-message">
            {error.message}
          </p>
          {error.requestId && (
            <p className="text-xs text-muted-foreground">
              {t('requestId')} <code data-testid="error-request-id">{error.requestId}</code>
            </p>
          )}
          <div className="flex justify-end">
            <DialogClose asChild>
              <Button variant="outline">{t('close')}</Button>
            </DialogClose>
          </div>
        </DialogContent>
      )}
    </Dialog>
  );
}
