'use client';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useState } from 'react';

/** Marks the extra history entry the Back guard adds (kept next to Next's own fields in history.state). */
const GUARD = 'halleyUnsavedGuard';

const onGuardEntry = () => Boolean((window.history.state as Record<string, unknown> | null)?.[GUARD]);

/**
 * While a form holds edits that are not saved, leaving the page asks first: reload, closing the tab and
 * typing another address through the browser's own prompt (beforeunload; browsers show their own wording),
 * a click on a console link (sidebar, breadcrumbs, table rows) and the browser's Back button through a
 * confirmation in the UI language.
 *
 * Back: while dirty, a copy of the current entry (same address) is pushed; Back then only returns to the page's
 * own entry, and this hook's popstate listener (capture, so before Next's router) asks. "Stay" pushes the copy again;
 * "leave" goes back once more. Once the edits are saved or discarded the copy stays, harmless (same address).
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
    // Back: the page's own entry is reached first (same address), asked here before Next's router acts on it.
    let leaving = false;
    const pop = (e: PopStateEvent) => {
      if (leaving) return;
      e.stopImmediatePropagation();
      if (window.confirm(question)) {
        leaving = true;
        window.history.back();
      } else {
        window.history.pushState({ ...(window.history.state as object | null), [GUARD]: true }, '', window.location.href);
      }
    };
    if (!onGuardEntry()) window.history.pushState({ ...(window.history.state as object | null), [GUARD]: true }, '', window.location.href);
    window.addEventListener('beforeunload', warn);
    document.addEventListener('click', click, true);
    window.addEventListener('popstate', pop, true);
    return () => {
      window.removeEventListener('beforeunload', warn);
      document.removeEventListener('click', click, true);
      window.removeEventListener('popstate', pop, true);
      // Saved or discarded: the copy stays (Back then returns to the same page once). Taking it off with
      // history.back() could race a navigation the save starts (router.push) and leave the address and the page apart.
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
