// The one adapter between HTTP and the registry: decode the form, authenticate, authorise,
// validate parameters, run the domain call, and map every error to Comet's {Status, Message}.
// Handled errors are answered with HTTP 200 and the status in the body: that is the only shape
// all three Comet SDKs turn into a readable error (see shared/comet-wire/README.md).
import { randomUUID } from 'node:crypto';
import { authenticate } from '../auth/authenticate';
import { clientAddressFrom } from '../auth/client-address';
import { env } from '../env';
import { AppError, ForbiddenError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError, BadRequestError } from '../errors';
import { log } from '../log';
import { requirePermission } from '../tenancy/permissions';
import { endpointByPath } from './endpoints';
import { buildOpenApi } from './openapi';
import { decodeParams } from './params';
import type { AnyEndpoint } from './registry';

export const API_PREFIX = '/api/v1/';

function json(body: unknown, requestId: string, status = 200): Response {
  const text = JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  return new Response(text, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, 'cache-control': 'no-store' },
  });
}

export function errorBody(err: unknown, requestId: string, path: string): { Status: number; Message: string } {
  if (err instanceof AppError) return { Status: err.status, Message: err.message };
  log.error({ err, requestId, path }, 'internal error in API call');
  return { Status: 500, Message: `Internal server error (request id ${requestId})` };
}

async function readForm(req: Request): Promise<URLSearchParams> {
  const limit = env().HALLEY_MAX_BODY_BYTES;
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const data = await req.formData();
    const form = new URLSearchParams();
    for (const [k, v] of data.entries()) if (typeof v === 'string') form.append(k, v);
    return form;
  }
  if (type !== '' && !type.startsWith('application/x-www-form-urlencoded')) {
    throw new BadRequestError(`Unsupported Content-Type '${type.slice(0, 60)}': send application/x-www-form-urlencoded`);
  }
  if (!req.body) return new URLSearchParams();
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
  const text = Buffer.concat(chunks).toString('utf8');
  return new URLSearchParams(text);
}

/** `ip`: the client address (lib/auth/client-address.ts); `host`: the Host the request was sent to. */
export type RequestInfo = { ip: string; userAgent: string; requestId: string; host?: string };

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

export async function handleApiRequest(req: Request): Promise<Response> {
  const requestId = req.headers.get('x-request-id')?.slice(0, 64) || randomUUID();
  const url = new URL(req.url);
  const path = url.pathname.replace(/\/+$/, '');
  try {
    if (path === '/api/v1/openapi.json') {
      if (req.method !== 'GET' && req.method !== 'POST') throw new MethodNotAllowedError(req.method);
      return json(buildOpenApi(), requestId);
    }
    const endpoint = endpointByPath(path);
    if (!endpoint) throw new NotFoundError(`Unknown API endpoint '${path.slice(0, 200)}'`);
    if (req.method !== 'POST') throw new MethodNotAllowedError(req.method);
    const form = await readForm(req);
    const result = await runEndpoint(endpoint, form, {
      ip: clientAddressFrom(req.headers),
      host: req.headers.get('host') ?? '',
      userAgent: req.headers.get('user-agent') ?? '',
      requestId,
    });
    // Never answer a bare null: the JS SDK indexes the body and would crash.
    return json(result ?? {}, requestId);
  } catch (err) {
    return json(errorBody(err, requestId, path), requestId);
  }
}
