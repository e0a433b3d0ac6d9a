// A bucket verdict's reason as stored in a Constellation report and as read: `Reason` keeps its English (older
// readers, logs, reports from before), `ReasonKey` the same reason as catalogue messages (joined with "; "), so
// the report answers it in the reader's language (list-constellation-buckets.ts), as a target's ErrorKey is.
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { renderStoredMessage } from '../i18n/stored-message';
import type { TVerdictReason, TVerdictState } from './decide-bucket';

export type TVerdictWire = { State: TVerdictState; Reason: string; ReasonKey?: ApiMessage[]; Next?: 'quarantine' };

/** decide-bucket's reason as its catalogue message (its English text is the stored Reason). */
export function reasonMessage(reason: TVerdictReason | ApiMessage): ApiMessage {
  const values: Record<string, string | number | ApiMessage> = {};
  for (const [name, value] of Object.entries(reason.values)) values[name] = typeof value === 'object' ? reasonMessage(value) : value;
  return apiMessage(reason.key, values);
}

/** A verdict whose reason is `parts` (the decision, then what the removal did or could not finish). */
export function verdictOf(state: TVerdictState, parts: ApiMessage[], next?: 'quarantine'): TVerdictWire {
  return { State: state, Reason: parts.map((p) => p.text).join('; ').slice(0, 4000), ReasonKey: parts, ...(next ? { Next: next } : {}) };
}

/** A stored verdict's reason in `locale`; a verdict from before ReasonKey answers its stored text. */
export function verdictReasonIn(verdict: { Reason: string; ReasonKey?: unknown }, locale: Locale): string {
  return renderStoredMessage(verdict.ReasonKey ?? null, verdict.Reason, locale);
}
