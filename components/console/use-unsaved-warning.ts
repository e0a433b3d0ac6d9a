'use client';
import { useEffect } from 'react';

/**
 * While a form holds edits that are not saved, leaving the page (reload, closing the tab, typing another
 * address) asks first. Browsers show their own wording; the handler only has to ask.
 */
export function useUnsavedWarning(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older Chromium builds still need returnValue set to show the prompt.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}
