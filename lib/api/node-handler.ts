// node:http transport for the API, used by server.ts: the same `serveApi` core as the Next route
// handler, without Next's router, web streams and Request/Response objects on the hot path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { createGzip, gzip as gzipCb } from 'node:zlib';
import { clientAddressFrom } from '../auth/client-address';
import { env } from '../env';
import { PayloadTooLargeError } from '../errors';
import { discardRestOfBody } from '../web/request-guards';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { localeFromAcceptLanguage } from '../i18n/locales';
import { log } from '../log';
import { API_SECURITY_HEADERS, encodeChunks, errorBody, newRequestId, renderReply, serveApi } from './handle';

const gzip = promisify(gzipCb);

// Small answers go out as they are; big ones (list-users-full runs to 100+ MB) are gzipped off the
// main thread when the client accepts it, as the PHP SDK does.
const GZIP_FROM_BYTES = 64 * 1024;

/** Input and output pieces of the streaming gzip (see handleApiNode). */
const GZIP_PIECE_BYTES = 512 * 1024;

/** Byte chunks gathered into pieces of at least `size` bytes (the last one smaller). */
async function* gather(chunks: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let parts: Uint8Array[] = [];
  let length = 0;
  for await (const c of chunks) {
    parts.push(c);
    length += c.length;
    if (length >= size) {
      yield Buffer.concat(parts, length);
      parts = [];
      length = 0;
    }
  }
  if (length > 0) yield Buffer.concat(parts, length);
}

/** After a 413, a client may send this many times the body limit more before its connection is closed. */
export const DISCARD_FACTOR = 4;

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : (v ?? null);
}

function readNodeBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        chunks.length = 0;
        req.pause(); // handleApiNode discards the rest once the answer is on its way
        reject(new PayloadTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function handleApiNode(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId(header(req, 'x-request-id'));
  const url = new URL(req.url ?? '/', 'http://localhost');
  const { httpStatus, result } = await serveApi({
    method: req.method ?? 'GET',
    path: url.pathname,
    contentType: header(req, 'content-type') ?? '',
    contentLength: Number(header(req, 'content-length') ?? '0'),
    info: {
      ip: clientAddressFrom({ get: (name) => header(req, name) }),
      host: header(req, 'host') ?? '',
      userAgent: header(req, 'user-agent') ?? '',
      requestId,
      locale: localeFromAcceptLanguage(header(req, 'accept-language')),
    },
    readBody: (limit) => readNodeBody(req, limit),
    header: (name) => header(req, name),
  });
  const rendered = renderReply(result);
  let { text } = rendered;
  const { stream, headers: replyHeaders } = rendered;
  const headers: Record<string, string | number> = { ...replyHeaders, ...API_SECURITY_HEADERS, 'x-request-id': requestId, vary: 'accept-encoding' };
  // The answer goes out now, while a refused oversize body may still be arriving; the rest is discarded.
  if ((result as { Status?: unknown })?.Status === 413) discardRestOfBody(req, DISCARD_FACTOR * env().HALLEY_MAX_BODY_BYTES);
  const gzipAccepted = /\bgzip\b/.test(header(req, 'accept-encoding') ?? '');
  if (stream && rendered.json) {
    // A streamed JSON answer: its first 64 KiB are read before anything is sent, so a small answer goes out
    // exactly as a whole body would (Content-Length, not gzipped) and an early error is still an error answer.
    const chunks = stream[Symbol.asyncIterator]();
    let head = '';
    let done = false;
    try {
      while (head.length < GZIP_FROM_BYTES) {
        const next = await chunks.next();
        if (next.done) {
          done = true;
          break;
        }
        head += next.value;
      }
    } catch (err) {
      text = JSON.stringify(errorBody(err, requestId, url.pathname, localeFromAcceptLanguage(header(req, 'accept-language'))));
      done = true;
      head = text;
    }
    if (done) text = head;
    else {
      const rest = async function* () {
        yield head;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
      };
      if (gzipAccepted) headers['content-encoding'] = 'gzip';
      res.writeHead(httpStatus, headers);
      try {
        // gzip: pieces of GZIP_PIECE_BYTES in and out. zlib runs each write (and each full output buffer) as one
        // task on libuv's thread pool and comes back through the event loop: with 64 KiB in and zlib's default
        // 16 KiB out that was a round trip per ~16 KiB, and on a busy machine each one waits for the scheduler
        // (list-users-full took 2.9x its uncompressed wall time with 1.5x the CPU; bench/README.md).
        if (gzipAccepted) await pipeline(Readable.from(gather(encodeChunks(rest()), GZIP_PIECE_BYTES)), createGzip({ level: 4, chunkSize: GZIP_PIECE_BYTES }), res);
        else await pipeline(Readable.from(encodeChunks(rest()), { objectMode: false, highWaterMark: GZIP_FROM_BYTES }), res);
      } catch (err) {
        // The status line is out: cut the connection, so a partial answer never looks whole.
        log.warn({ err, requestId, path: url.pathname }, 'streamed JSON answer failed');
        res.destroy();
      }
      return;
    }
  } else if (stream) {
    res.writeHead(httpStatus, headers);
    try {
      await pipeline(Readable.from(encodeChunks(stream)), res);
    } catch (err) {
      // The status line is out: all that is left is to cut the connection, so a partial file never looks whole.
      log.warn({ err, requestId, path: url.pathname }, 'file answer failed while streaming');
      res.destroy();
    }
    return;
  }
  if (text === undefined) return;
  if (text.length >= GZIP_FROM_BYTES && gzipAccepted) {
    const zipped = await gzip(text, { level: 4 });
    res.writeHead(httpStatus, { ...headers, 'content-encoding': 'gzip', 'content-length': zipped.length });
    res.end(zipped);
    return;
  }
  res.writeHead(httpStatus, { ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
