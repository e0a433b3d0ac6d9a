// The console's live event view: Server-Sent Events relayed from Halley's own Comet event stream
// (ws /api/v1/events/stream, five-frame login with the console's session key), so the browser never
// holds the session key and sees exactly what an API client of this admin would see.
import WebSocket from 'ws';
import { consoleToken, currentAdmin } from '@/lib/adapters/console/session';
import { env } from '../../../../../lib/env';
import { log } from '../../../../../lib/log';

export const dynamic = 'force-dynamic';

export async function GET(req: Request) {
  const token = await consoleToken();
  if (!token || !(await currentAdmin())) return new Response('Unauthorized', { status: 401 });
  const since = new URL(req.url).searchParams.get('since');
  const host = env().HOST === '0.0.0.0' || env().HOST === '::' ? '127.0.0.1' : env().HOST;
  const target = `ws://${host.includes(':') ? `[${host}]` : host}:${env().PORT}/api/v1/events/stream${since && /^\d{1,19}$/.test(since) ? `?since=${since}` : ''}`;
  const encoder = new TextEncoder();
  let ws: WebSocket | undefined;
  let keepAlive: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: string) => {
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${data.replace(/\n/g, '\ndata: ')}\n\n`));
        } catch {
          ws?.close();
        }
      };
      const end = () => {
        clearInterval(keepAlive);
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      ws = new WebSocket(target, { perMessageDeflate: false });
      let authenticated = false;
      ws.on('open', () => {
        for (const frame of [token.username, 'SessionKey', '', token.sessionKey, '']) ws!.send(frame);
      });
      ws.on('message', (data) => {
        const text = data.toString('utf8');
        if (!authenticated) {
          authenticated = text === '200 OK';
          send(authenticated ? 'ready' : 'denied', text);
          if (!authenticated) ws!.close();
          return;
        }
        send('event', text);
      });
      ws.on('close', (code, reason) => {
        send('closed', JSON.stringify({ code, reason: reason.toString() }));
        end();
      });
      ws.on('error', (err) => {
        log.warn({ err }, 'console event relay: stream connection failed');
        send('failed', err.message);
      });
      keepAlive = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(': keep-alive\n\n'));
        } catch {
          ws?.close();
        }
      }, 15_000);
      req.signal.addEventListener('abort', () => ws?.close());
    },
    cancel() {
      clearInterval(keepAlive);
      ws?.close();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', 'x-accel-buffering': 'no' } });
}
