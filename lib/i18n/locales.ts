// The console's languages. messages/en.json is the source of truth; every other file must have exactly
// its keys (tests/unit/i18n-messages.test.ts).
export const LOCALES = ['en', 'de', 'fr', 'es', 'nl', 'pt-BR', 'ru', 'he'] as const;
export type Locale = (typeof LOCALES)[number];
const DEFAULT_LOCALE: Locale = 'en';
export const LOCALE_COOKIE = 'halley-locale';

/** Each language named in itself, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  nl: 'Nederlands',
  'pt-BR': 'Português (Brasil)',
  ru: 'Русский',
  he: 'עברית',
};

export function isLocale(value: string | undefined | null): value is Locale {
  return !!value && (LOCALES as readonly string[]).includes(value);
}

/** Best match for an Accept-Language header ("pt-PT" → pt-BR, "de-AT" → de). */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  const wanted = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) || 0 };
    })
    .filter((x) => x.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    const exact = LOCALES.find((l) => l.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const base = tag.split('-')[0].toLowerCase();
    const byBase = LOCALES.find((l) => l.split('-')[0].toLowerCase() === base);
    if (byBase) return byBase;
  }
  return DEFAULT_LOCALE;
}

/** Writing direction of a console language: Hebrew reads right to left. */
export function localeDirection(locale: string): 'rtl' | 'ltr' {
  return locale.split('-')[0].toLowerCase() === 'he' ? 'rtl' : 'ltr';
}
