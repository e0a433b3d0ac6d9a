// The console's languages. messages/en.json is the source of truth; every other file must have exactly
// its keys (tests/unit/i18n-messages.test.ts).
export const LOCALES = ['en', 'de', 'fr', 'es', 'nl', 'pt-BR', 'da', 'it', 'hr', 'pt-PT', 'ru', 'he', 'zh-Hant', 'ja'] as const;
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
  da: 'Dansk',
  it: 'Italiano',
  hr: 'Hrvatski',
  'pt-PT': 'Português (Portugal)',
  ru: 'Русский',
  he: 'עברית',
  'zh-Hant': '繁體中文',
  ja: '日本語',
};

export function isLocale(value: string | undefined | null): value is Locale {
  return !!value && (LOCALES as readonly string[]).includes(value);
}

/** Answers of localeFromAcceptLanguage by header text (short headers only; see there). */
const localeByHeader = new Map<string, Locale>();

/** Best match for an Accept-Language header: exact tag first ("pt-PT" → pt-PT), then the language ("de-AT" → de;
 *  plain "pt" and other Portuguese regions → pt-BR, the first Portuguese locale listed). */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  const key = header ?? '';
  const known = localeByHeader.get(key);
  if (known) return known;
  const locale = matchAcceptLanguage(key);
  // Clients send the same few headers on every call (an SDK: none or `*`; a browser: its own). Bounded in entries and
  // in key length, so arbitrary headers cannot grow it.
  if (key.length > 200) return locale;
  if (localeByHeader.size >= 256) localeByHeader.clear();
  localeByHeader.set(key, locale);
  return locale;
}

function matchAcceptLanguage(header: string): Locale {
  const wanted = header
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) || 0 };
    })
    .filter((x) => x.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    const chinese = chineseVariant(tag);
    if (chinese === 'zh-Hant') return chinese;
    if (chinese === 'other') continue;
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

/**
 * Chinese tags by script: Traditional (zh-TW, zh-HK, zh-MO, zh-Hant, zh-Hant-TW…) is 'zh-Hant';
 * Simplified or unspecified (zh, zh-CN, zh-SG, zh-Hans…) is 'other': no Simplified catalogue exists and
 * Traditional text is not a fallback for it, so such a tag falls through to the next preference (English);
 * anything not Chinese is null. Underscores ("zh_TW", Comet's LanguageCode) count as hyphens.
 */
export function chineseVariant(tag: string): 'zh-Hant' | 'other' | null {
  const parts = tag.trim().toLowerCase().replace(/_/g, '-').split('-');
  if (parts[0] !== 'zh') return null;
  if (parts.includes('hans')) return 'other';
  return parts.includes('hant') || parts.some((p) => p === 'tw' || p === 'hk' || p === 'mo') ? 'zh-Hant' : 'other';
}
