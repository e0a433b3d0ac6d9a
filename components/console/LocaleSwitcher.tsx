'use client';
import { Languages } from 'lucide-react';
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { LOCALE_NAMES, LOCALES, type Locale } from '../../lib/i18n/locales';
import { setLocale } from '../../app/locale-action';
import { NativeSelect } from '../ui/input';

/** The language switcher: stores the choice in a cookie and re-renders the page in that language. */
export function LocaleSwitcher({ className }: { className?: string }) {
  const t = useTranslations('nav');
  const locale = useLocale();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <label className={`flex items-center gap-2 text-sm ${className ?? ''}`}>
      <Languages className="size-4 text-muted-foreground" aria-hidden="true" />
      <span className="sr-only">{t('language')}</span>
      <NativeSelect
        aria-label={t('language')}
        className="h-8 w-52 py-0"
        value={locale}
        disabled={pending}
        onChange={(e) => {
          const next = e.target.value as Locale;
          start(async () => {
            await setLocale(next);
            router.refresh();
          });
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </NativeSelect>
    </label>
  );
}
