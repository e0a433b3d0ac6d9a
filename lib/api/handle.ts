// The one adapter core between HTTP and the registry: decode the form, authenticate, authorise,
// validate parameters, run the domain call, and map every error to Comet's {Status, Message}.
// Handled errors are answered with HTTP 200 and the status in the body: that is the only shape
// all three Comet SDKs turn into a readable error (see shared/comet-wire/README.md).
//
// Two thin transports feed `serveApi`: `handleApiRequest` (Fetch Request/Response, used by the Next
// route handler) and `handleApiNode` in node-handler.ts (node:http, used by server.ts so API calls
// skip Next's per-request machinery; see bench/README.md).
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { authenticate } from '../auth/authenticate';
import { clientAddressFrom } from '../auth/client-address';
import { env } from '../env';
import { AppError, BadRequestError, ForbiddenError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError } from '../errors';
import { apiMessage, apiMessageWithEnglish, localizeApiMessage, type ApiMessage } from '../i18n/api-messages';
import { localeFromAcceptLanguage, type Locale } from '../i18n/locales';
import { addRequestContext, log, withRequestContext } from '../log';
import { recordApiCall } from '../metrics/series';
import { annotateSpan, currentTraceId, inSpan } from '../observability/tracing';
import { requirePermission } from '../tenancy/permissions';
import { endpointByPath } from './endpoints';
import { buildOpenApi } from './openapi';
import { checkFormText, decodeParams } from './params';
import type { AnyEndpoint } from './registry';
import { ApiReply, type FileSource } from './reply';

export const API_PREFIX = '/api/v1/';

/**
 * `ip`: the client address (lib/auth/client-address.ts); `host`: the Host the request was sent to; `locale`: the
 * language of error messages (from Accept-Language; English when absent).
 */
export type RequestInfo = { ip: string; userAgent: string; requestId: string; host?: string; locale?: Locale };

/** What a transport hands to `serveApi`. `readBody` must enforce `limit` while reading. */
type ApiCall = {
  method: string;
  path: string;
  contentType: string;
  contentLength: number;
  info: RequestInfo;
  readBody: (limit: number) => Promise<Buffer>;
  /** A request header (the multipart upload's X-Comet-Admin-* credentials). */
  header?: (name: string) => string | null;
};

/** More fields than any endpoint has, by far; a form with more is refused before it is decoded. */
const MAX_FORM_FIELDS = 1000;

export function errorBody(err: unknown, requestId: string, path: string, locale: Locale = 'en'): { Status: number; Message: string } {
  if (err instanceof AppError) {
    const t = err.translatable;
    return { Status: err.status, Message: t ? localizeApiMessage(t as ApiMessage, locale) : err.message };
  }
  log.error({ err, requestId, path }, 'internal error in API call');
  return { Status: 500, Message: localizeApiMessage(apiMessage('internalError', { requestId }), locale) };
}

/** JSON text of a response body. DTOs carry numbers, so the bigint replacer is only a fallback. */
function encodeJson(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  }
}

export function newRequestId(incoming: string | null | undefined): string {
  return incoming?.slice(0, 64) || randomUUID();
}

async function readForm(call: ApiCall, fileParams: readonly string[] = []): Promise<URLSearchParams> {
  const limit = env().HALLEY_MAX_BODY_BYTES;
  if (call.contentLength > limit) throw new PayloadTooLargeError(limit);
  const type = call.contentType.toLowerCase();
  const multipart = type.startsWith('multipart/form-data');
  if (!multipart && type !== '' && !type.startsWith('application/x-www-form-urlencoded')) {
    throw new BadRequestError(apiMessage('unsupportedContentType', { type: type.slice(0, 60) }));
  }
  // Both encodings are read whole but never past the limit (counted while streaming, so a chunked body
  // without Content-Length is cut off as early as a declared one), and before authentication looks at it.
  const body = await call.readBody(limit);
  if (multipart) return withHeaderCredentials(await parseMultipart(body, call.contentType, fileParams), call);
  // Counted on the bytes, before URLSearchParams builds an entry per '&'.
  let fields = 1;
  for (let at = body.indexOf(0x26); at !== -1; at = body.indexOf(0x26, at + 1)) {
    if (++fields > MAX_FORM_FIELDS) throw new BadRequestError(apiMessage('formTooManyFields', { limit: String(MAX_FORM_FIELDS) }));
  }
  return new URLSearchParams(body.toString('utf8'));
}

/**
 * A multipart/form-data body (already bounded by the body limit) as form fields. The parts are counted
 * before the platform's parser builds them; a body it cannot parse is the client's error, not ours.
 * File parts are refused, except the endpoint's `fileParams`, whose bytes become base64 text.
 */
async function parseMultipart(body: Buffer, contentType: string, fileParams: readonly string[]): Promise<URLSearchParams> {
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  if (!boundary) throw new BadRequestError(apiMessage('multipartNoBoundary'));
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let parts = 0;
  for (let at = body.indexOf(delimiter); at !== -1; at = body.indexOf(delimiter, at + delimiter.length)) {
    if (++parts > MAX_FORM_FIELDS + 1) throw new BadRequestError(apiMessage('formTooManyFields', { limit: String(MAX_FORM_FIELDS) }));
  }
  let data: FormData;
  try {
    data = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch (err) {
    // The parser's own English, quoted after a translated lead-in (English: exactly its words, as before).
    const said = String((err as Error)?.message ?? err).slice(0, 120);
    throw new BadRequestError(apiMessage('multipartMalformed', { reason: apiMessageWithEnglish('causeReported', { text: said }, said) }));
  }
  const form = new URLSearchParams();
  for (const [k, v] of data.entries()) {
    if (typeof v !== 'string' && fileParams.includes(k)) {
      form.append(k, Buffer.from(await v.arrayBuffer()).toString('base64'));
      continue;
    }
    if (typeof v !== 'string') throw new BadRequestError(apiMessage('paramIsFile', { name: k.slice(0, 60) }));
    form.append(k, v);
  }
  return form;
}

// Comet's SDKs send a multipart upload's credentials as headers (shared/comet-wire README); form fields win.
const HEADER_CREDENTIALS = [
  ['Username', 'x-comet-admin-username'],
  ['AuthType', 'x-comet-admin-authtype'],
  ['Password', 'x-comet-admin-password'],
  ['SessionKey', 'x-comet-admin-sessionkey'],
  ['TOTP', 'x-comet-admin-totp'],
] as const;

function withHeaderCredentials(form: URLSearchParams, call: ApiCall): URLSearchParams {
  if (!call.header || form.has('Username')) return form;
  for (const [field, name] of HEADER_CREDENTIALS) {
    const value = call.header(name);
    if (value !== null && value !== '') form.set(field, value);
  }
  return form;
}

export async function runEndpoint(endpoint: AnyEndpoint, form: URLSearchParams, request: RequestInfo): Promise<unknown> {
  // Before authentication too: the credentials are form fields like any other.
  checkFormText(form);
  const actor = await authenticate(form, endpoint.auth, { ip: request.ip, host: request.host });
  if (actor.kind !== 'anonymous') {
    addRequestContext({ actor: `${actor.kind}:${actor.username}`, tenant: actor.tenantId });
    annotateSpan({ 'halley.tenant_id': actor.tenantId, 'halley.actor_kind': actor.kind });
  }
  const isTopLevel = actor.kind === 'admin' && actor.isTopLevel;
  if (actor.kind === 'admin') {
    if (endpoint.topLevelOnly && !actor.isTopLevel) throw new ForbiddenError(apiMessage('topLevelOnly'));
    if (endpoint.permission) requirePermission(actor, endpoint.permission);
  }
  const params = decodeParams(endpoint.params, form, { isTopLevel });
  return endpoint.handler({ actor: actor as never, params, request });
}

/** What serveApi answers: the HTTP status and a JSON body or an ApiReply, rendered with `renderReply`. */
type ApiAnswer = { httpStatus: number; result: unknown };

/**
 * The HTTP status of an error answer. Handled errors go out with HTTP 200 and the status in the body (the only
 * shape all three SDKs read), except where Comet itself does otherwise: an unknown path is an HTTP 404, and a
 * text or file endpoint's error carries its status on the HTTP line too, since the SDKs' download methods look
 * only at that.
 */
function errorHttpStatus(endpoint: AnyEndpoint | undefined, status: number): number {
  if (!endpoint) return 404;
  if (endpoint.responseFormat && status >= 400 && status <= 599) return status;
  return 200;
}

/** Serves one API call; never throws. */
export async function serveApi(call: ApiCall): Promise<ApiAnswer> {
  const started = process.hrtime.bigint();
  // Labelled by registry path only (unknown paths share one label), so the series and span names stay bounded.
  const label = endpointByPath(call.path.replace(/\/+$/, ''))?.path ?? 'other';
  return inSpan(`API ${label}`, 'server', { 'halley.endpoint': label, 'halley.request_id': call.info.requestId, 'http.request.method': call.method }, (span) => {
    const traceId = currentTraceId();
    return withRequestContext({ requestId: call.info.requestId, endpoint: call.path.slice(0, 200), ...(traceId && { traceId }) }, async () => {
      const answer = await serveApiCall(call);
      const status = (answer.result as { Status?: number } | null)?.Status ?? 200;
      span.setAttributes({ 'halley.status': status, 'http.response.status_code': answer.httpStatus });
      if (status >= 500) span.setStatus({ code: 2 /* ERROR */ });
      recordApiCall(label, status, started);
      log.debug({ status, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'api call');
      return answer;
    });
  });
}

async function serveApiCall(call: ApiCall): Promise<ApiAnswer> {
  const path = call.path.replace(/\/+$/, '');
  let endpoint: AnyEndpoint | undefined;
  try {
    if (path === '/api/v1/openapi.json') {
      if (call.method !== 'GET' && call.method !== 'POST') throw new MethodNotAllowedError(call.method);
      return { httpStatus: 200, result: buildOpenApi() };
    }
    endpoint = endpointByPath(path);
    if (!endpoint) return { httpStatus: 404, result: errorBody(new NotFoundError(apiMessage('unknownEndpoint', { path: path.slice(0, 200) })), call.info.requestId, path, call.info.locale) };
    if (call.method !== 'POST') throw new MethodNotAllowedError(call.method);
    const form = await readForm(call, endpoint.fileParams);
    // Never answer a bare null: the JS SDK indexes the body and would crash.
    return { httpStatus: 200, result: (await runEndpoint(endpoint, form, call.info)) ?? {} };
  } catch (err) {
    const body = errorBody(err, call.info.requestId, path, call.info.locale);
    return { httpStatus: errorHttpStatus(endpoint, body.Status), result: body };
  }
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;
/** Every API answer: its content type is the one to use, never a sniffed one (an error echoes input). */
export const API_SECURITY_HEADERS = { 'x-content-type-options': 'nosniff' } as const;
const TEXT_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } as const;

/** Body and headers of whatever serveApi returned (JSON value or ApiReply): a text, or a file's byte stream. */
export function renderReply(
  result: unknown,
): { text: string; stream?: undefined; json?: undefined; headers: Record<string, string> } | { text?: undefined; stream: FileSource; json: boolean; headers: Record<string, string> } {
  if (!(result instanceof ApiReply)) return { text: encodeJson(result), headers: { ...JSON_HEADERS } };
  if (result.contentType === 'text') return { text: String(result.body), headers: { ...TEXT_HEADERS, ...result.headers } };
  if (result.contentType === 'file') return { stream: result.body as FileSource, json: false, headers: { 'cache-control': 'no-store', ...result.headers } };
  if (result.contentType === 'json-stream') return { stream: result.body as FileSource, json: true, headers: { ...JSON_HEADERS, ...result.headers } };
  return { text: encodeJson(result.body ?? {}), headers: { ...JSON_HEADERS, ...result.headers } };
}

async function readFetchBody(req: Request, limit: number): Promise<Buffer> {
  if (!req.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Fetch transport (the Next route handler). */
export async function handleApiRequest(req: Request): Promise<Response> {
  const requestId = newRequestId(req.headers.get('x-request-id'));
  const { httpStatus, result } = await serveApi({
    method: req.method,
    path: new URL(req.url).pathname,
    contentType: req.headers.get('content-type') ?? '',
    contentLength: Number(req.headers.get('content-length') ?? '0'),
    info: { ip: clientAddressFrom(req.headers), host: req.headers.get('host') ?? '', userAgent: req.headers.get('user-agent') ?? '', requestId, locale: localeFromAcceptLanguage(req.headers.get('accept-language')) },
    readBody: (limit) => readFetchBody(req, limit),
    header: (name) => req.headers.get(name),
  });
  const { text, stream, headers } = renderReply(result);
  const body = stream ? (Readable.toWeb(Readable.from(encodeChunks(stream))) as ReadableStream<Uint8Array>) : text;
  return new Response(body, { status: httpStatus, headers: { ...headers, ...API_SECURITY_HEADERS, 'x-request-id': requestId } });
}

/** A file source as bytes (string chunks are UTF-8). */
export async function* encodeChunks(source: FileSource): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}
