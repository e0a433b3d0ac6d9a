// A Zod issue as a message from the "api" catalogue, so a refused JSON parameter (price list, campaign options,
// console preferences) reads in the caller's language. English stays Zod's own text (or the schema's custom
// message); other locales get the catalogue's sentence for the issue's code, with its limits and options. A
// custom message listed in CUSTOM_MESSAGES (e.g. "must not be negative") is translated as its key;
// a refine() can name its key with `params: { apiKey, ...values }`.
import { apiMessage, apiMessageWithEnglish, type ApiMessage } from './api-messages';

/** Custom messages the schemas use (English as written there) and their catalogue messages. */
const CUSTOM_MESSAGES: Record<string, () => ApiMessage> = {
  'must not be negative': () => apiMessage('mustNotBeNegative'),
  'is too large': () => apiMessage('isTooLarge'),
  'must be a three-letter ISO 4217 code such as USD or EUR': () => apiMessage('currencyCodeInvalid'),
};

/** The parts of a Zod (v4) issue this reads. */
type ZodIssueLike = {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  format?: unknown;
  values?: unknown[];
  keys?: unknown[];
  params?: Record<string, unknown>;
};

/** The issue's field path as Comet's parameters spell it (a.b.0.c), or `fallback` for the value itself. */
function zodIssuePath(issue: ZodIssueLike, fallback: string): string {
  return issue.path.map(String).join('.') || fallback;
}

/** `origin` of a size issue as the catalogue's select value: string, array, number, or other. */
function sizeKind(issue: ZodIssueLike): string {
  const origin = String(issue.origin ?? '');
  const kind = origin === 'string' || origin === 'array' || origin === 'set' ? (origin === 'set' ? 'array' : origin) : origin === 'number' || origin === 'int' || origin === 'bigint' ? 'number' : 'other';
  return kind === 'number' && issue.inclusive === false ? 'numberExclusive' : kind;
}

/** One issue as a translatable message (its English is the issue's own message). */
export function zodIssueMessage(issue: ZodIssueLike): ApiMessage {
  const english = issue.message;
  const custom = issue.params?.apiKey;
  if (typeof custom === 'string') {
    const values = Object.fromEntries(Object.entries(issue.params ?? {}).filter(([k]) => k !== 'apiKey').map(([k, v]) => [k, String(v)]));
    return apiMessageWithEnglish(custom as never, values, english);
  }
  const known = Object.hasOwn(CUSTOM_MESSAGES, english) ? CUSTOM_MESSAGES[english] : undefined;
  if (known) return known();
  switch (issue.code) {
    case 'invalid_type':
      return apiMessageWithEnglish('zodInvalidType', { expected: String(issue.expected ?? '') }, english);
    case 'too_small':
      return apiMessageWithEnglish('zodTooSmall', { kind: sizeKind(issue), limit: String(issue.minimum ?? '') }, english);
    case 'too_big':
      return apiMessageWithEnglish('zodTooBig', { kind: sizeKind(issue), limit: String(issue.maximum ?? '') }, english);
    case 'invalid_value':
      return apiMessageWithEnglish('zodInvalidValue', { options: (issue.values ?? []).map((v) => JSON.stringify(v)).join(', ') }, english);
    case 'invalid_format':
      return apiMessageWithEnglish('zodInvalidFormat', { format: String(issue.format ?? '') }, english);
    case 'unrecognized_keys':
      return apiMessageWithEnglish('zodUnknownKeys', { keys: (issue.keys ?? []).map((k) => JSON.stringify(k)).join(', ') }, english);
    case 'not_multiple_of':
      return apiMessageWithEnglish('zodNotMultipleOf', { divisor: String((issue as { divisor?: unknown }).divisor ?? '') }, english);
    default:
      return apiMessageWithEnglish('zodInvalid', {}, english);
  }
}

/** Several issues as one message: "<path> <reason>; <path> <reason>…" (English as Zod's texts joined so). */
export function zodIssuesMessage(issues: readonly ZodIssueLike[], fallbackPath: string): ApiMessage {
  const parts = issues.map((i) => apiMessageWithEnglish('zodIssueAt', { path: zodIssuePath(i, fallbackPath), reason: zodIssueMessage(i) }, `${zodIssuePath(i, fallbackPath)} ${i.message}`));
  return parts.reduceRight((rest, first) => apiMessageWithEnglish('zodIssueList', { first, rest }, `${first.text}; ${rest.text}`));
}
