// A message kept in a row (a delivery log's reason) so that it is read later in the reader's language: the row
// keeps its English text in its text column (older readers, logs, rows written before this) and the catalogue
// messages in a JSON column next to it. Reading renders the JSON in the reader's locale; a row without it (or
// with a key the catalogue no longer has) shows its English text, as before.
import en from '../../messages/en.json';
import { localizeApiMessage, type ApiMessage } from './api-messages';
import type { Locale } from './locales';

/** One part of a stored reason: a catalogue message, or text that has no translation (a far service's words). */
type StoredPart = ApiMessage | string;

const KEYS = new Set(Object.keys(en.api));

/** The JSON to store for `parts` (joined with "; " when read), or null when there is nothing to say. */
export function storedMessage(parts: readonly StoredPart[]): StoredPart[] | null {
  return parts.length === 0 ? null : parts.map((p) => (typeof p === 'string' ? p : { key: p.key, values: p.values, text: p.text }));
}

function isMessage(v: unknown): v is ApiMessage {
  if (!v || typeof v !== 'object') return false;
  const m = v as Partial<ApiMessage>;
  if (typeof m.key !== 'string' || !KEYS.has(m.key) || typeof m.text !== 'string' || !m.values || typeof m.values !== 'object') return false;
  return Object.values(m.values).every((x) => typeof x === 'string' || typeof x === 'number' || isMessage(x));
}

/** The stored reason in `locale`; `english` (the row's text column) when there is no usable stored message. */
export function renderStoredMessage(stored: unknown, english: string, locale: Locale = 'en'): string {
  if (!Array.isArray(stored) || stored.length === 0) return english;
  const parts: string[] = [];
  for (const p of stored) {
    if (typeof p === 'string') parts.push(p);
    else if (isMessage(p)) parts.push(localizeApiMessage(p, locale));
    else return english;
  }
  return parts.join('; ');
}
