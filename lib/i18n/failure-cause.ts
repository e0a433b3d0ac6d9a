// Why an outbound call failed, as a message from the "api" catalogue, so the reason inside "Test failed: …",
// "Provisioning … failed: …", "CometServer must be …" and a delivery log reads in the reader's language.
// The causes Halley knows are mapped by their shape (never by English text): a message that is already
// translatable (the outbound guard's TargetRefusedError, an AppError), Node's network error codes (DNS,
// refused, timed out, closed, TLS), an invalid URL, and the HTTP status or error name of the far service
// (401/403, bucket exists / not found, other statuses). Anything else is the far service's (or a library's)
// own text: it stays verbatim, quoted after a translated lead-in. English keeps the error's own message
// (apiMessageWithEnglish), as logs and English callers knew it.
// lib/i18n imports nothing outside itself here (lib/net and lib/errors import lib/i18n), so errors are read
// by duck type.
import { apiMessageWithEnglish, type ApiMessage } from './api-messages';

type ErrorLike = {
  message?: unknown;
  name?: unknown;
  code?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  input?: unknown;
  status?: unknown;
  statusCode?: unknown;
  translatable?: ApiMessage;
  cause?: unknown;
  $metadata?: { httpStatusCode?: unknown };
};

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENODATA', 'ESERVFAIL', 'EAI_NONAME', 'EAI_FAIL']);
const TIMEOUT = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'TimeoutError', 'RequestTimeout']);
const CLOSED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNCLOSED']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
const TLS = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;
const DENIED_NAMES = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidClientTokenId', 'Forbidden', 'Unauthorized', 'unauthorized', 'bad_auth_token', 'InvalidToken', 'AuthFailure', 'AllAccessDisabled']);
const BUCKET_EXISTS = new Set(['BucketAlreadyExists', 'BucketAlreadyOwnedByYou', 'duplicate_bucket_name']);
const BUCKET_MISSING = new Set(['NoSuchBucket']);

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** The HTTP status the far service answered, when the error carries one. */
function httpStatusOf(e: ErrorLike): number {
  for (const v of [e.$metadata?.httpStatusCode, e.status, e.statusCode]) if (typeof v === 'number' && v >= 100 && v <= 599) return v;
  return 0;
}

/** Node's network error code, also when wrapped (fetch's `cause`). */
function codeOf(e: ErrorLike): string {
  const own = str(e.code);
  if (own) return own;
  const inner = e.cause as ErrorLike | undefined;
  return inner && typeof inner === 'object' ? str(inner.code) : '';
}

/** `err`'s cause as a catalogue message, or null when Halley does not know it. */
function knownFailureCause(err: unknown): ApiMessage | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as ErrorLike;
  if (e.translatable && typeof e.translatable === 'object' && typeof e.translatable.key === 'string') return e.translatable;
  const english = str(e.message) || str(e.name) || 'error';
  const code = codeOf(e);
  const name = str(e.name);
  const inner = (e.cause && typeof e.cause === 'object' ? e.cause : e) as ErrorLike;
  const host = str(inner.hostname) || str(inner.address);
  if (code === 'ERR_INVALID_URL') return apiMessageWithEnglish('urlInvalid', { url: str(e.input).slice(0, 200) }, english);
  if (DNS.has(code)) return apiMessageWithEnglish('causeHostUnresolved', { host: host || '?', code }, english);
  if (code === 'ECONNREFUSED') {
    const where = host ? (inner.port !== undefined ? `${host}:${str(inner.port)}` : host) : '?';
    return apiMessageWithEnglish('causeConnectionRefused', { address: where }, english);
  }
  if (TIMEOUT.has(code) || TIMEOUT.has(name)) return apiMessageWithEnglish('causeTimeout', {}, english);
  if (CLOSED.has(code)) return apiMessageWithEnglish('causeConnectionClosed', { code }, english);
  if (UNREACHABLE.has(code)) return apiMessageWithEnglish('causeUnreachable', { code }, english);
  if (TLS.test(code)) return apiMessageWithEnglish('causeTls', { code }, english);
  const status = httpStatusOf(e);
  if (BUCKET_EXISTS.has(name) || BUCKET_EXISTS.has(code)) return apiMessageWithEnglish('causeBucketExists', {}, english);
  if (BUCKET_MISSING.has(name) || BUCKET_MISSING.has(code) || (name === 'NotFound' && status === 404)) return apiMessageWithEnglish('causeBucketNotFound', {}, english);
  if (status === 401 || status === 403 || DENIED_NAMES.has(name) || DENIED_NAMES.has(code)) {
    return apiMessageWithEnglish('causeAccessDenied', { detail: status ? `HTTP ${status}` : code || name }, english);
  }
  return null;
}

/**
 * Why `err` happened, in any language: a known cause as its catalogue message; otherwise the error's own text,
 * verbatim and quoted after a translated lead-in (with the HTTP status when the error carries one).
 */
export function failureCause(err: unknown): ApiMessage {
  const known = knownFailureCause(err);
  if (known) return known;
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as ErrorLike;
  const english = (str(e.message) || str(e.name) || 'error').slice(0, 300);
  const status = httpStatusOf(e);
  if (status && (english === `HTTP ${status}` || english === 'error' || english === 'UnknownError')) return apiMessageWithEnglish('causeHttpStatus', { status: String(status) }, english);
  if (status) return apiMessageWithEnglish('causeHttpStatusSaid', { status: String(status), text: english }, english);
  return apiMessageWithEnglish('causeReported', { text: english }, english);
}
