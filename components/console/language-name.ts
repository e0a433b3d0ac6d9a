'use client';
// A report/profile LanguageCode (Comet's en_US, de_DE, …) as a person reads it: its name in the console's language,
// followed by its own name where that differs ("German — Deutsch"), so an admin recognises the language either way.
// The stored value stays the code; a code Halley does not know is shown as it is.
import { useTranslations } from 'next-intl';
import { REPORT_LANGUAGES } from '../../lib/adapters/console/email-reports';

type LanguageCode = (typeof REPORT_LANGUAGES)[number]['code'];

export function useLanguageName(): (code: string) => string {
  const t = useTranslations('languageNames');
  return (code) => {
    const known = REPORT_LANGUAGES.find((l) => l.code === code);
    if (!known) return code;
    const name = t(`${known.code}` as LanguageCode);
    return name === known.label ? name : `${name} — ${known.label}`;
  };
}
