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
import { decodeParams } from './params';
import type { AnyEndpoint } from './registry';
import { ApiReply } from './reply';

export const API_PREFIX = '/api/v1/';

/** `ip`: the client address (lib/auth/client-address.ts); `host`: the Host the request was sent to. */
export type RequestInfo = { ip: string; userAgent: string; requestId: string; host?: string };

/** What a transport hands to `serveApi`. `readBody` must enforce `limit` while reading. */
export type ApiCall = {
  method: string;
  path: string;
  contentType: string;
  contentLength: number;
  info: RequestInfo;
  readBody: (limit: number) => Promise<Buffer>;
  /** multipart/form-data is rare (resource uploads); transports parse it with the platform's FormData. */
  readMultipart: () => Promise<URLSearchParams>;
};

export function errorBody(err: unknown, requestId: string, path: string): { Status: number; Message: string } {
  if (err instanceof AppError) return { Status: err.status, Message: err.message };
  log.error({ err, requestId, path }, 'internal error in API call');
  return { Status: 500, Message: `Internal server error (request id ${requestId})` };
}

/** JSON text of a response body. DTOs carry numbers, so the bigint replacer is only a fallback. */
export function encodeJson(body: unknown): string {
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
  if (type.startsWith('multipart/form-data')) return call.readMultipart();
  if (type !== '' && !type.startsWith('application/x-www-form-urlencoded')) {
    throw new BadRequestError(`Unsupported Content-Type '${type.slice(0, 60)}': send application/x-www-form-urlencoded`);
  }
  return new URLSearchParams((await call.readBody(limit)).toString('utf8'));
}

export async function runEndpoint(endpoint: AnyEndpoint, form: URLSearchParams, request: RequestInfo): Promise<unknown> {
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

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;
export const TEXT_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } as const;

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

export async function formDataToParams(data: FormData): Promise<URLSearchParams> {
  const form = new URLSearchParams();
  for (const [k, v] of data.entries()) if (typeof v === 'string') form.append(k, v);
  return form;
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
    readMultipart: async () => formDataToParams(await req.formData()),
  });
  const { text, headers } = renderReply(body);
  return new Response(text, { status: 200, headers: { ...headers, 'x-request-id': requestId } });
}
