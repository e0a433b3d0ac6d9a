// API error messages in the caller's language. Comet localises an error's Message by the request's
// Accept-Language (es-ES: "No autorizado"); Halley does the same from the console's catalogue
// (messages/<locale>.json, namespace "api", ICU syntax: a literal apostrophe is written ''), with English as
// the fallback. Domain code builds an ApiMessage with `apiMessage(key, values)`; its English text is the error's
// own message (logs, tests, the SDKs' default), and lib/api/handle.ts translates it on the way out.
import { createTranslator } from 'use-intl/core';
import de from '../../messages/de.json';
import en from '../../messages/en.json';
import es from '../../messages/es.json';
import fr from '../../messages/fr.json';
import nl from '../../messages/nl.json';
import ptBR from '../../messages/pt-BR.json';
import da from '../../messages/da.json';
import it from '../../messages/it.json';
import hr from '../../messages/hr.json';
import ptPT from '../../messages/pt-PT.json';
import ru from '../../messages/ru.json';
import he from '../../messages/he.json';
import zhHant from '../../messages/zh-Hant.json';
import ja from '../../messages/ja.json';
import type { Locale } from './locales';

type ApiMessageKey = keyof (typeof en)['api'];
/** A value may itself be a message (a cause inside a wrapping message): it is translated along with it. */
type Values = Record<string, string | number | ApiMessage>;
type FlatValues = Record<string, string | number>;

/** A translatable message: its catalogue key, its values, and its English text. */
export type ApiMessage = { key: ApiMessageKey; values: Values; text: string };

const CATALOGUES: Record<Locale, Record<string, unknown>> = { en, de, es, fr, nl, 'pt-BR': ptBR, da, it, hr, 'pt-PT': ptPT, ru, he, 'zh-Hant': zhHant, ja };
const translators = new Map<Locale, (key: ApiMessageKey, values: FlatValues) => string>();

function translator(locale: Locale): (key: ApiMessageKey, values: FlatValues) => string {
  let t = translators.get(locale);
  if (!t) {
    const translate = createTranslator({ locale, messages: CATALOGUES[locale] as never, namespace: 'api' as never });
    t = (key, values) => (translate as unknown as (k: string, v: FlatValues) => string)(key, values);
    translators.set(locale, t);
  }
  return t;
}

/** The values with every nested message in `locale`. */
function flatValues(values: Values, locale: Locale): FlatValues {
  const out: FlatValues = {};
  for (const [name, value] of Object.entries(values)) out[name] = typeof value === 'object' ? localizeApiMessage(value, locale) : value;
  return out;
}

export function apiMessage(key: ApiMessageKey, values: Values = {}): ApiMessage {
  return { key, values, text: englishText(key, values) };
}

// English texts of messages with plain values, remembered: a sweep or a bulk answer builds the same message for
// thousands of rows (100,000 Constellation verdicts of a few kinds), and formatting one costs microseconds.
// Bounded: emptied when full, so unique values (names, ids) cannot grow it.
const ENGLISH_MEMO_MAX = 2000;
const englishMemo = new Map<string, string>();

function englishText(key: ApiMessageKey, values: Values): string {
  let memoKey: string = key;
  for (const name in values) {
    const value = values[name];
    if (typeof value === 'object') return translator('en')(key, flatValues(values, 'en'));
    // The type is part of the key: 1 and '1' may format differently (plural rules).
    memoKey += `\u0000${name}\u0001${typeof value === 'number' ? 'n' : 's'}${value}`;
  }
  const known = englishMemo.get(memoKey);
  if (known !== undefined) return known;
  const text = translator('en')(key, values as FlatValues);
  if (englishMemo.size >= ENGLISH_MEMO_MAX) englishMemo.clear();
  englishMemo.set(memoKey, text);
  return text;
}

/**
 * A message whose English text is given (a library's own English, kept exactly as callers and tests know it),
 * translated from the catalogue in every other locale.
 */
export function apiMessageWithEnglish(key: ApiMessageKey, values: Values, text: string): ApiMessage {
  return { key, values, text };
}

/** An error's message as a value for another message: translated when it came from the catalogue. */
export function causeOf(err: { message: string; translatable?: { key: string; values: Record<string, unknown>; text: string } }): ApiMessage | string {
  return (err.translatable as ApiMessage | undefined) ?? err.message;
}

/** The message in `locale`; English when the locale's text cannot be formatted. */
export function localizeApiMessage(message: ApiMessage, locale: Locale): string {
  if (locale === 'en') return message.text;
  try {
    return translator(locale)(message.key, flatValues(message.values, locale));
  } catch {
    return message.text;
  }
}
