'use client';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useState } from 'react';

/**
 * While a form holds edits that are not saved, leaving the page asks first: reload, closing the tab and
 * typing another address through the browser's own prompt (beforeunload; browsers show their own wording),
 * and a click on a console link (sidebar, breadcrumbs, table rows) through a confirmation in the UI language.
 */
export function useUnsavedWarning(dirty: boolean): void {
  const t = useTranslations('unsaved');
  const question = t('confirmLeave');
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older Chromium builds still need returnValue set to show the prompt.
      e.returnValue = '';
    };
    // Client-side navigation never unloads the page: links are caught before Next's router sees them.
    const click = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a[href]');
      if (!(a instanceof HTMLAnchorElement) || a.target === '_blank' || a.hasAttribute('download')) return;
      const url = new URL(a.href, window.location.href);
      if (url.origin !== window.location.origin || (url.pathname === window.location.pathname && url.search === window.location.search)) return;
      if (!window.confirm(question)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', warn);
    document.addEventListener('click', click, true);
    return () => {
      window.removeEventListener('beforeunload', warn);
      document.removeEventListener('click', click, true);
    };
  }, [dirty, question]);
}

/**
 * A form's "edited but not saved" flag with the warning above: `markDirty` on any change (a form's onChange
 * sees every input's), `markClean` once a save succeeded or the edits were discarded.
 */
export function useDirtyForm(): { dirty: boolean; markDirty: () => void; markClean: () => void } {
  const [dirty, setDirty] = useState(false);
  useUnsavedWarning(dirty);
  return { dirty, markDirty: useCallback(() => setDirty(true), []), markClean: useCallback(() => setDirty(false), []) };
}

/**
 * The same for a dialog's form: edits are not thrown away by a stray Escape, a click outside, Cancel or leaving
 * the page without a question. `requestClose` asks first while the form is dirty, then calls `onClose`.
 */
export function useDirtyDialog(onClose: () => void): { dirty: boolean; markDirty: () => void; markClean: () => void; requestClose: () => void } {
  const tv = useTranslations('validation');
  const form = useDirtyForm();
  const { dirty, markClean } = form;
  const question = tv('discardChanges');
  const requestClose = useCallback(() => {
    if (dirty && !window.confirm(question)) return;
    markClean();
    onClose();
  }, [dirty, markClean, onClose, question]);
  return { ...form, requestClose };
}
