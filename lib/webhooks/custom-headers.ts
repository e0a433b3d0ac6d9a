// A webhook's CustomHeaders often carry credentials (Authorization, API keys), so every value is sealed at
// rest (lib/secrets) and leaves the server only as HEADER_MASK, wherever webhook options are shown
// (webhook-options/get, organization/list|set, the console). On save, a header whose value is the mask
// keeps its stored value, a new value replaces it, and a header left out is removed.
//
// Stored form: { "<name>": { "sealed": "v1:…" } }. Rows written before sealing hold plain strings
// ({ "<name>": "<value>" }): they are read as they are and sealed on the next save of the webhook.
import { BadRequestError } from '../errors';
import { seal, unseal } from '../secrets';
import { apiMessage } from '../i18n/api-messages';

export const HEADER_MASK = '••••••••';

type SealedValue = { sealed: string };
type StoredHeaders = Record<string, SealedValue>;

const isSealed = (v: unknown): v is SealedValue => typeof v === 'object' && v !== null && typeof (v as SealedValue).sealed === 'string';

function entries(stored: unknown): Array<[string, unknown]> {
  return stored && typeof stored === 'object' && !Array.isArray(stored) ? Object.entries(stored as Record<string, unknown>) : [];
}

/** The headers as the wire shows them: every value masked. */
export function maskCustomHeaders(stored: unknown): Record<string, string> {
  return Object.fromEntries(entries(stored).map(([name]) => [name, HEADER_MASK]));
}

/** The plain headers, for the sender only. `open` unseals one value (the deliverer passes a cached one). */
export function unsealCustomHeaders(stored: unknown, open: (sealed: string) => string = unseal): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of entries(stored)) {
    if (isSealed(value)) out[name] = open(value.sealed);
    else if (typeof value === 'string') out[name] = value; // written before sealing
  }
  return out;
}

/**
 * The stored form of incoming headers: new values sealed, masked ones kept from `stored` (matched by
 * name, case-insensitively as HTTP does). A masked value with nothing stored under its name is refused.
 */
export function sealCustomHeaders(incoming: Record<string, string>, stored: unknown, where: string): StoredHeaders {
  const previous = new Map(entries(stored).map(([name, value]) => [name.toLowerCase(), value]));
  const out: StoredHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== HEADER_MASK) {
      out[name] = { sealed: seal(value) };
      continue;
    }
    const kept = previous.get(name.toLowerCase());
    if (isSealed(kept)) out[name] = kept;
    else if (typeof kept === 'string') out[name] = { sealed: seal(kept) };
    else throw new BadRequestError(apiMessage('headerMaskNoStored', { where, name }));
  }
  return out;
}
