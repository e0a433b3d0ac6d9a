// The one adapter core between HTTP and the registry: decode the form, authenticate, authorise,
// validate parameters, run the domain call, and map every error to Comet's {Status, Message}.
// Handled errors are answered with HTTP 200 and the status in the body: that is the only shape
// all three Comet SDKs turn into a readable error (see shared/comet-wire/README.md).
//
// Two thin transports feed `serveApi`: `handleApiRequest` (Fetch Request/Response, used by the Next
// route handler) and `handleApiNode` in node-handler.ts (node:http, used by server.ts so API calls
// skip Next's per-request machinery; see bench/README.md).
import { randomUUID } from 'node:crypto';
import { authenticate } from '../auth/authenticate';
import { clientAddressFrom } from '../auth/client-address';
import { env } from '../env';
import { AppError, BadRequestError, ForbiddenError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError } from '../errors';
import { log } from '../log';
import { requirePermission } from '../tenancy/permissions';
import { endpointByPath } from './endpoints';
import { buildOpenApi } from './openapi';
import { checkFormText, decodeParams } from './params';
import type { AnyEndpoint } from './registry';
import { ApiReply } from './reply';

export const API_PREFIX = '/api/v1/';

/** `ip`: the client address (lib/auth/client-address.ts); `host`: the Host the request was sent to. */
export type RequestInfo = { ip: string; userAgent: string; requestId: string; host?: string };

/** What a transport hands to `serveApi`. `readBody` must enforce `limit` while reading. */
type ApiCall = {
  method: string;
  path: string;
  contentType: string;
  contentLength: number;
  info: RequestInfo;
  readBody: (limit: number) => Promise<Buffer>;
};

/** More fields than any endpoint has, by far; a form with more is refused before it is decoded. */
const MAX_FORM_FIELDS = 1000;

export function errorBody(err: unknown, requestId: string, path: string): { Status: number; Message: string } {
  if (err instanceof AppError) return { Status: err.status, Message: err.message };
  log.error({ err, requestId, path }, 'internal error in API call');
  return { Status: 500, Message: `Internal server error (request id ${requestId})` };
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

async function readForm(call: ApiCall): Promise<URLSearchParams> {
  const limit = env().HALLEY_MAX_BODY_BYTES;
  if (call.contentLength > limit) throw new PayloadTooLargeError(limit);
  const type = call.contentType.toLowerCase();
  const multipart = type.startsWith('multipart/form-data');
  if (!multipart && type !== '' && !type.startsWith('application/x-www-form-urlencoded')) {
    throw new BadRequestError(`Unsupported Content-Type '${type.slice(0, 60)}': send application/x-www-form-urlencoded`);
  }
  // Both encodings are read whole but never past the limit (counted while streaming, so a chunked body
  // without Content-Length is cut off as early as a declared one), and before authentication looks at it.
  const body = await call.readBody(limit);
  if (multipart) return parseMultipart(body, call.contentType);
  // Counted on the bytes, before URLSearchParams builds an entry per '&'.
  let fields = 1;
  for (let at = body.indexOf(0x26); at !== -1; at = body.indexOf(0x26, at + 1)) {
    if (++fields > MAX_FORM_FIELDS) throw new BadRequestError(`The form has more than ${MAX_FORM_FIELDS} fields`);
  }
  return new URLSearchParams(body.toString('utf8'));
}

/**
 * A multipart/form-data body (already bounded by the body limit) as form fields. The parts are counted
 * before the platform's parser builds them; a body it cannot parse is the client's error, not ours.
 * File parts carry nothing an endpoint reads and are refused.
 */
async function parseMultipart(body: Buffer, contentType: string): Promise<URLSearchParams> {
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  if (!boundary) throw new BadRequestError('Malformed multipart/form-data body: the Content-Type has no boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let parts = 0;
  for (let at = body.indexOf(delimiter); at !== -1; at = body.indexOf(delimiter, at + delimiter.length)) {
    if (++parts > MAX_FORM_FIELDS + 1) throw new BadRequestError(`The form has more than ${MAX_FORM_FIELDS} fields`);
  }
  let data: FormData;
  try {
    data = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch (err) {
    throw new BadRequestError(`Malformed multipart/form-data body: ${(err as Error).message.slice(0, 120)}`);
  }
  const form = new URLSearchParams();
  for (const [k, v] of data.entries()) {
    if (typeof v !== 'string') throw new BadRequestError(`Parameter '${k.slice(0, 60)}' is a file: API parameters are form fields`);
    form.append(k, v);
  }
  return form;
}

export async function runEndpoint(endpoint: AnyEndpoint, form: URLSearchParams, request: RequestInfo): Promise<unknown> {
  // Before authentication too: the credentials are form fields like any other.
  checkFormText(form);
  const actor = await authenticate(form, endpoint.auth, { ip: request.ip, host: request.host });
  const isTopLevel = actor.kind === 'admin' && actor.isTopLevel;
  if (actor.kind === 'admin') {
    if (endpoint.topLevelOnly && !actor.isTopLevel) throw new ForbiddenError('This action is only available to top-level administrators');
    if (endpoint.permission) requirePermission(actor, endpoint.permission);
  }
  const params = decodeParams(endpoint.params, form, { isTopLevel });
  return endpoint.handler({ actor: actor as never, params, request });
}

/**
 * Serves one API call; never throws. The result is what to send with HTTP 200: a JSON body, or an
 * ApiReply (text body and/or extra headers) that the transport renders with `renderReply`.
 */
export async function serveApi(call: ApiCall): Promise<unknown> {
  const path = call.path.replace(/\/+$/, '');
  try {
    if (path === '/api/v1/openapi.json') {
      if (call.method !== 'GET' && call.method !== 'POST') throw new MethodNotAllowedError(call.method);
      return buildOpenApi();
    }
    const endpoint = endpointByPath(path);
    if (!endpoint) throw new NotFoundError(`Unknown API endpoint '${path.slice(0, 200)}'`);
    if (call.method !== 'POST') throw new MethodNotAllowedError(call.method);
    const form = await readForm(call);
    // Never answer a bare null: the JS SDK indexes the body and would crash.
    return (await runEndpoint(endpoint, form, call.info)) ?? {};
  } catch (err) {
    return errorBody(err, call.info.requestId, path);
  }
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;
/** Every API answer: its content type is the one to use, never a sniffed one (an error echoes input). */
export const API_SECURITY_HEADERS = { 'x-content-type-options': 'nosniff' } as const;
const TEXT_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } as const;

/** Body text and headers of whatever serveApi returned (JSON value or ApiReply). */
export function renderReply(result: unknown): { text: string; headers: Record<string, string> } {
  if (!(result instanceof ApiReply)) return { text: encodeJson(result), headers: { ...JSON_HEADERS } };
  if (result.contentType === 'text') return { text: String(result.body), headers: { ...TEXT_HEADERS, ...result.headers } };
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
  const body = await serveApi({
    method: req.method,
    path: new URL(req.url).pathname,
    contentType: req.headers.get('content-type') ?? '',
    contentLength: Number(req.headers.get('content-length') ?? '0'),
    info: { ip: clientAddressFrom(req.headers), host: req.headers.get('host') ?? '', userAgent: req.headers.get('user-agent') ?? '', requestId },
    readBody: (limit) => readFetchBody(req, limit),
  });
  const file = ApiReply.fileBody(body);
  if (file) return new Response(file, { status: 200, headers: { ...(body as ApiReply).headers, ...API_SECURITY_HEADERS, 'x-request-id': requestId } });
  const { text, headers } = renderReply(body);
  return new Response(text, { status: 200, headers: { ...headers, ...API_SECURITY_HEADERS, 'x-request-id': requestId } });
}
