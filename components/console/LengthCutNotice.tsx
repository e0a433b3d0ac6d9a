'use client';
// Length limits announced, not silent: an input or text area with a maxLength cuts what is typed or pasted beyond it
// without a word. This notice, mounted once for the whole console, watches every such field: when an insertion would
// go past the limit it says so next to the page's focus (a polite live region, pointed at by the field's
// aria-describedby), and the next edit that fits clears it again.
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';

const NOTICE_ID = 'length-cut-notice';

type Limited = HTMLInputElement | HTMLTextAreaElement;

function limited(target: EventTarget | null): Limited | null {
  if (!(target instanceof HTMLInputElement) && !(target instanceof HTMLTextAreaElement)) return null;
  return target.maxLength > 0 ? target : null;
}

/** The field's length after inserting `text` over its selection. */
function lengthAfter(el: Limited, text: string): number {
  const start = el.selectionStart ?? el.value.length;
  const end = el.selectionEnd ?? start;
  return el.value.length - (end - start) + text.length;
}

export function LengthCutNotice() {
  const t = useTranslations('lengthLimit');
  const [cut, setCut] = useState<{ el: Limited; max: number } | null>(null);
  useEffect(() => {
    let pending = false;
    const before = (e: Event) => {
      const el = limited(e.target);
      const ev = e as InputEvent;
      if (!el) return;
      // A deletion or any edit that is no insertion fits by definition.
      pending = false;
      if (!ev.inputType?.startsWith('insert')) return;
      const text = ev.data ?? ev.dataTransfer?.getData('text/plain') ?? (ev.inputType === 'insertLineBreak' ? '\n' : '');
      pending = lengthAfter(el, text) > el.maxLength;
      if (pending) setCut({ el, max: el.maxLength });
    };
    // The browser does not fire beforeinput for a paste cut to nothing at the limit in every engine: paste covers it.
    const paste = (e: ClipboardEvent) => {
      const el = limited(e.target);
      if (!el) return;
      if (lengthAfter(el, e.clipboardData?.getData('text/plain') ?? '') > el.maxLength) {
        pending = true;
        setCut({ el, max: el.maxLength });
      }
    };
    const input = (e: Event) => {
      // An edit that fit clears the notice about the previous one.
      if (!pending && limited(e.target)) setCut(null);
      pending = false;
    };
    document.addEventListener('beforeinput', before, true);
    document.addEventListener('paste', paste, true);
    document.addEventListener('input', input, true);
    return () => {
      document.removeEventListener('beforeinput', before, true);
      document.removeEventListener('paste', paste, true);
      document.removeEventListener('input', input, true);
    };
  }, []);
  // The field points at the notice while it is shown (screen readers read it with the field).
  useEffect(() => {
    if (!cut) return;
    const el = cut.el;
    const before = el.getAttribute('aria-describedby');
    if (!before?.split(' ').includes(NOTICE_ID)) el.setAttribute('aria-describedby', [before, NOTICE_ID].filter(Boolean).join(' '));
    const blur = () => setCut(null);
    el.addEventListener('blur', blur);
    return () => {
      el.removeEventListener('blur', blur);
      const now = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== NOTICE_ID);
      if (now.length) el.setAttribute('aria-describedby', now.join(' '));
      else el.removeAttribute('aria-describedby');
    };
  }, [cut]);
  const box = cut?.el.getBoundingClientRect();
  return (
    <div id={NOTICE_ID} role="status" aria-live="polite" data-testid="length-cut-notice">
      {cut && box && (
        <span
          className="fixed z-[60] rounded-md border border-warning bg-background px-2 py-1 text-xs font-medium text-foreground shadow-sm"
          style={{ top: Math.round(box.bottom + 4), insetInlineStart: Math.round(document.documentElement.dir === 'rtl' ? window.innerWidth - box.right : box.left) }}
        >
          {t('cut', { max: cut.max })}
        </span>
      )}
    </div>
  );
}
