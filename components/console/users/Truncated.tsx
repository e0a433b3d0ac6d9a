'use client';
// Text the console cuts to fit a cell shows in full on hover (title) and on keyboard focus (a tooltip that is
// positioned against the viewport, so a table's scroll container never clips it); ids get a copy button.
import { Check, Copy } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useId, useRef, useState, type ReactNode } from 'react';
import { cn } from '../../ui/cn';

export function Truncated({ text, children, className }: { text: string; children?: ReactNode; className?: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const id = useId();
  const [tip, setTip] = useState<{ left: number; top: number } | null>(null);
  const show = () => {
    const el = ref.current;
    // Only text that is actually cut gets the focus tooltip; the title covers hover either way.
    if (!el || el.scrollWidth <= el.clientWidth) return;
    const r = el.getBoundingClientRect();
    setTip({ left: r.left, top: r.bottom + 4 });
  };
  return (
    <span
      ref={ref}
      title={text}
      tabIndex={0}
      aria-describedby={tip ? id : undefined}
      onFocus={show}
      onBlur={() => setTip(null)}
      className={cn('block min-w-0 truncate rounded-sm outline-none focus-visible:ring-2 focus-visible:ring-ring', className)}
    >
      {children ?? text}
      {tip && (
        <span id={id} role="tooltip" className="fixed z-50 max-w-md whitespace-normal break-all rounded-md border bg-popover px-2 py-1 text-xs text-popover-foreground shadow-md" style={{ left: tip.left, top: tip.top }}>
          {text}
        </span>
      )}
    </span>
  );
}

export function CopyButton({ value, label }: { value: string; label?: string }) {
  const t = useTranslations('users');
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="inline-flex size-5 shrink-0 items-center justify-center rounded-sm text-muted-foreground hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      aria-label={`${copied ? t('copied') : t('copyId')}: ${label ?? value}`}
      title={copied ? t('copied') : t('copyId')}
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? <Check className="size-3.5" /> : <Copy className="size-3.5" />}
    </button>
  );
}
