// Checks server.ts makes on every request before Next sees it (the admin API has its own, in
// lib/api/handle.ts). Next buffers a server action's or route handler's body itself and answers a
// refused cross-origin action with a 500; these answer early, with the right 4xx, instead.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';

/** `reason`: a catalogue message, answered in the caller's language (server.ts). */
export type Refusal = { status: number; reason: ApiMessage };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A declared body over the limit is refused before it is read. A body without a declared length
 * (Transfer-Encoding: chunked) is refused outright: browsers always declare the length of what the
 * console sends (forms, server actions, sign-in), so nothing legitimate is lost, and Next never has to
 * buffer a body whose size it cannot know in advance.
 */
export function bodySizeRefusal(headers: IncomingHttpHeaders, limit: number): Refusal | null {
  if (headers['transfer-encoding'] !== undefined) {
    return { status: 411, reason: apiMessage('lengthRequired') };
  }
  const length = Number(headers['content-length'] ?? '0');
  if (length > limit) return { status: 413, reason: apiMessage('payloadTooLarge', { limit }) };
  return null;
}

/** The host the browser addressed, as Next's server-action check reads it (x-forwarded-host first). */
function requestHost(headers: IncomingHttpHeaders): string | undefined {
  const forwarded = headers['x-forwarded-host'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(',')[0])?.trim();
  return first || headers.host;
}

/**
 * An unsafe request (a server action, a sign-in POST) whose Origin is another site's, or 'null', or not
 * a URL. This is Next's own server-action comparison (Origin's host against X-Forwarded-Host or Host),
 * applied to every state-changing console request; server.ts has already dropped X-Forwarded-Host unless
 * a trusted proxy sent it. A request without Origin is let through as Next does: it is not from a
 * browser page that could carry someone else's cookies.
 */
export function crossOriginRefusal(method: string, headers: IncomingHttpHeaders): Refusal | null {
  if (SAFE_METHODS.has(method)) return null;
  const origin = headers.origin;
  if (origin === undefined) return null;
  let originHost: string | null = null;
  try {
    originHost = origin === 'null' ? null : new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (originHost && originHost === requestHost(headers)) return null;
  return { status: 403, reason: apiMessage('crossOriginRefused') };
}

/**
 * After a refusal, the rest of the body is read and thrown away (memory stays flat) so that a client
 * still sending sees the answer instead of a reset connection, and the connection can be reused. A
 * client that keeps sending past `cap` bytes more has its connection closed.
 */
export function discardRestOfBody(req: IncomingMessage, cap: number): void {
  if (req.complete) return;
  let discarded = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > cap) req.socket.destroy();
  });
  req.resume();
}
