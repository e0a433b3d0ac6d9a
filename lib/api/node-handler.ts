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
import { finished, pipeline } from 'node:stream/promises';
import { localeFromAcceptLanguage } from '../i18n/locales';
import { log } from '../log';
import { API_SECURITY_HEADERS, encodeChunks, errorBody, newRequestId, renderReply, serveApi } from './handle';

const gzip = promisify(gzipCb);

// Small answers go out as they are; big ones (list-users-full runs to 100+ MB) are gzipped off the
// main thread when the client accepts it, as the PHP SDK does.
const GZIP_FROM_BYTES = 64 * 1024;

/** Pieces a streamed answer is written in: zlib's input and output with gzip, the socket's writes without
 *  (see writeInPieces). */
const PIECE_BYTES = 512 * 1024;

/** What writeInPieces writes to: zlib's gzip stream or the response itself. */
type PieceSink = { write(chunk: Uint8Array, cb: (err?: Error | null) => void): boolean };

/**
 * A streamed JSON answer's text written to `sink` in pieces of PIECE_BYTES. The text is encoded straight into
 * two pieces that take turns: a piece is filled again only once the sink has consumed it (its write callback), so a
 * long answer allocates no buffer per chunk. Allocating them (a Buffer per 64 KiB text chunk; for gzip, then a 512 KiB
 * concatenation) was external memory that V8 frees only at a full collection: list-users-full at 10,000 accounts grew
 * the process by 65-130 MiB (bench/README.md). At most two pieces are in flight, and the sink's own back-pressure
 * (zlib's from the socket, the socket's from the client) delays the callbacks. `failed` ends a wait when the answer
 * cannot be completed any more (the client went away).
 */
async function writeInPieces(text: AsyncIterable<string | Uint8Array>, sink: PieceSink, failed: Promise<never>): Promise<void> {
  const pieces = [Buffer.allocUnsafe(PIECE_BYTES), Buffer.allocUnsafe(PIECE_BYTES)];
  const consumed: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()];
  let turn = 0;
  let used = 0;
  const write = (bytes: Uint8Array) => {
    const written = new Promise<void>((resolve, reject) => sink.write(bytes, (err) => (err ? reject(err) : resolve())));
    written.catch(() => undefined); // an error also fails the answer; it is awaited through `failed`
    return written;
  };
  const flush = async () => {
    if (used === 0) return;
    consumed[turn] = write(pieces[turn].subarray(0, used));
    turn ^= 1;
    used = 0;
    await Promise.race([consumed[turn], failed]);
  };
  for await (const chunk of text) {
    const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (used + bytes > PIECE_BYTES) await flush();
    if (bytes > PIECE_BYTES) {
      // Larger than a piece (one huge entry): written as it is.
      await Promise.race([write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk), failed]);
      continue;
    }
    if (typeof chunk === 'string') used += pieces[turn].write(chunk, used);
    else {
      pieces[turn].set(chunk, used);
      used += bytes;
    }
  }
  await flush();
  await Promise.race([consumed[turn], failed]);
}

/** A promise that rejects when `done` does and never resolves (marked handled: it is only raced). */
function failureOf(done: Promise<unknown>): Promise<never> {
  const failed = new Promise<never>((_resolve, reject) => void done.catch(reject));
  failed.catch(() => undefined);
  return failed;
}

/** The text gzipped (level 4, zlib's output in pieces of PIECE_BYTES too) into `res`. */
async function gzipInto(text: AsyncIterable<string | Uint8Array>, res: ServerResponse): Promise<void> {
  const gz = createGzip({ level: 4, chunkSize: PIECE_BYTES });
  const done = pipeline(gz, res);
  await writeInPieces(text, gz, failureOf(done));
  gz.end();
  await done;
}

/** The text as it is into `res` (chunked). */
async function writeInto(text: AsyncIterable<string | Uint8Array>, res: ServerResponse): Promise<void> {
  const done = finished(res);
  await writeInPieces(text, res, failureOf(done));
  res.end();
  await done;
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
        // gzip: pieces of PIECE_BYTES in and out. zlib runs each write (and each full output buffer) as one
        // task on libuv's thread pool and comes back through the event loop: with 64 KiB in and zlib's default
        // 16 KiB out that was a round trip per ~16 KiB, and on a busy machine each one waits for the scheduler
        // (list-users-full took 2.9x its uncompressed wall time with 1.5x the CPU; bench/README.md).
        if (gzipAccepted) await gzipInto(rest(), res);
        else await writeInto(rest(), res);
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
