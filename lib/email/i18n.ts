// Report strings per language. lib/email/messages/en.json is the source of truth; every other file has
// exactly its keys (tests/unit/email-messages.test.ts). Recipients' LanguageCode values are Comet's
// ("en_US", "de_DE", "pt_BR"...): matched exactly first, then by language, else English.
import de from './messages/de.json';
import en from './messages/en.json';
import es from './messages/es.json';
import fr from './messages/fr.json';
import nl from './messages/nl.json';
import ptBR from './messages/pt-BR.json';
import da from './messages/da.json';
import it from './messages/it.json';
import hr from './messages/hr.json';
import ptPT from './messages/pt-PT.json';
import ru from './messages/ru.json';
import he from './messages/he.json';
import zhHant from './messages/zh-Hant.json';
import ja from './messages/ja.json';
import { chineseVariant } from '../i18n/locales';

export type MessageKey = keyof typeof en;
export type EmailLocale = 'en' | 'de' | 'fr' | 'es' | 'nl' | 'pt-BR' | 'da' | 'it' | 'hr' | 'pt-PT' | 'ru' | 'he' | 'zh-Hant' | 'ja';

export const EMAIL_MESSAGES: Readonly<Record<EmailLocale, Readonly<Record<MessageKey, string>>>> = { en, de, fr, es, nl, 'pt-BR': ptBR, da, it, hr, 'pt-PT': ptPT, ru, he, 'zh-Hant': zhHant, ja };
export const EMAIL_LOCALES = Object.keys(EMAIL_MESSAGES) as EmailLocale[];

/** Comet LanguageCode ("de_DE", "pt_BR", "fr", "" ...) -> one of the report languages. */
export function emailLocale(languageCode: string | undefined | null): EmailLocale {
  const tag = (languageCode ?? '').trim().replace(/_/g, '-').toLowerCase();
  if (!tag) return 'en';
  const chinese = chineseVariant(tag);
  if (chinese) return chinese === 'zh-Hant' ? 'zh-Hant' : 'en';
  const exact = EMAIL_LOCALES.find((l) => l.toLowerCase() === tag);
  if (exact) return exact;
  const lang = tag.split('-')[0];
  return EMAIL_LOCALES.find((l) => l.toLowerCase().split('-')[0] === lang) ?? 'en';
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(locale: EmailLocale): Translate {
  const table = EMAIL_MESSAGES[locale];
  return (key, values) => {
    const text = table[key] ?? EMAIL_MESSAGES.en[key] ?? key;
    return values ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m)) : text;
  };
}
