// The Storage Role's object API on the web server (node:http, before Next), for agents backing up into
// a bucket of this node (Comet-type vaults: CometServer + CometBucket + CometBucketKey):
//
//   PUT    /storage/v1/<BucketID>/<key>      store (streamed to disk; 413 over HALLEY_STORAGE_MAX_OBJECT_BYTES)
//   GET    /storage/v1/<BucketID>/<key>      read (streamed)        HEAD: size only
//   DELETE /storage/v1/<BucketID>/<key>      remove (204 also when missing)
//   GET    /storage/v1/<BucketID>?prefix=&after=&limit=   list: {"Objects":[{Key,Size,Modified}],"NextAfter"}
//
// Every request carries `Authorization: Bearer <bucket key>`. Errors are JSON {Status, Message} with the
// HTTP status set (this is not the Comet API, so clients may rely on the status code).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { env } from '../../env';
import { AppError, AuthError, BadRequestError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError } from '../../errors';
import { log } from '../../log';
import { authorizeBucket } from '../../storage/authorize-bucket';
import { deleteObject } from '../../storage/delete-object';
import { getObject } from '../../storage/get-object';
import { listObjects } from '../../storage/list-objects';
import { putObject } from '../../storage/put-object';
import { discardRestOfBody } from '../../web/request-guards';
import { apiMessage, localizeApiMessage, type ApiMessage } from '../../i18n/api-messages';
import { localeFromAcceptLanguage } from '../../i18n/locales';

export const STORAGE_PREFIX = '/storage/v1/';

const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...HEADERS, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function bearer(req: IncomingMessage): string {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S{1,512})$/i.exec(h);
  if (!m) throw new AuthError(apiMessage('bucketKeyMissing'));
  return m[1];
}

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new BadRequestError(apiMessage('objectKeyBadEncoding'));
  }
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const rest = url.pathname.slice(STORAGE_PREFIX.length);
  const slash = rest.indexOf('/');
  const bucketId = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : decodeKey(rest.slice(slash + 1));
  const method = req.method ?? 'GET';
  const bucket = await authorizeBucket(bucketId, bearer(req));
  if (key === '') {
    if (method !== 'GET') throw new MethodNotAllowedError(method);
    const limit = Number(url.searchParams.get('limit') ?? '1000');
    if (!Number.isInteger(limit) || limit < 1) throw new BadRequestError(apiMessage('objectLimitInvalid'));
    return sendJson(res, 200, await listObjects({ bucket, prefix: url.searchParams.get('prefix') ?? '', after: url.searchParams.get('after') ?? '', limit }));
  }
  switch (method) {
    case 'PUT': {
      const max = env().HALLEY_STORAGE_MAX_OBJECT_BYTES;
      if (Number(req.headers['content-length'] ?? 0) > max) throw new PayloadTooLargeError(max);
      const { size } = await putObject({ bucket, key, body: req, maxBytes: max });
      return sendJson(res, 200, { Status: 200, Message: 'OK', Key: key, Size: size });
    }
    case 'GET':
    case 'HEAD': {
      const obj = await getObject({ bucket, key, open: method === 'GET' });
      if (!obj) throw new NotFoundError(apiMessage('objectNotFound', { key: key.slice(0, 200) }));
      res.writeHead(200, { ...HEADERS, 'content-type': 'application/octet-stream', 'content-length': obj.size, 'last-modified': new Date(obj.modified * 1000).toUTCString() });
      if (!obj.stream) return void res.end();
      await pipeline(obj.stream, res);
      return;
    }
    case 'DELETE':
      await deleteObject({ bucket, key });
      res.writeHead(204, HEADERS);
      res.end();
      return;
    default:
      throw new MethodNotAllowedError(method);
  }
}

export async function handleObjectApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await serve(req, res);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = err instanceof AppError ? err.status : 500;
    if (!(err instanceof AppError)) log.error({ err, url: req.url }, 'object API error');
    // The message in the caller's language (Accept-Language), as the Comet API answers.
    const message = err instanceof AppError ? (err.translatable ? localizeApiMessage(err.translatable as ApiMessage, localeFromAcceptLanguage(req.headers['accept-language'])) : err.message) : 'Internal server error';
    sendJson(res, status, { Status: status, Message: message });
    // A refused upload may still be arriving: read (and drop) a bounded amount of it.
    if (req.method === 'PUT' && !req.readableEnded) discardRestOfBody(req, 4 * 1024 * 1024);
  }
}
