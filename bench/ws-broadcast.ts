// Baseline of the fan-out benchmark: a bare `ws` server. Clients connect to ws://127.0.0.1:PORT/;
// `POST /broadcast?n=N&bytes=B&mode=M` sends N distinct text messages of about B bytes to every connected
// client, then answers. Two modes:
// - `framed` (the default, the baseline the target is measured against): each message is serialised and
//   framed once, the messages of a batch (as many as Halley's tail hands over per poll, 1,000) are
//   concatenated once, and that one buffer is written to every client's socket: one write per client and
//   batch, nothing done per client that could be done once. This is the floor of a fan-out in Node.
// - `send`: the plainest loop, `for (const c of wss.clients) c.send(msg)` with msg a Buffer encoded once
//   (a frame header and a syscall per client and message), kept for comparison with earlier runs.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { textFrame } from '../lib/adapters/ws/text-frame';

const BATCH = 1000; // lib/events/tail.ts BATCH

const port = Number(process.env.PORT ?? 0);
const sockets = new Set<Duplex>();
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method === 'GET' && url.pathname === '/health') return void res.end('ok');
  if (req.method !== 'POST' || url.pathname !== '/broadcast') return void res.writeHead(404).end();
  const n = Number(url.searchParams.get('n') ?? 1000);
  const bytes = Number(url.searchParams.get('bytes') ?? 1024);
  const framed = (url.searchParams.get('mode') ?? 'framed') === 'framed';
  const json = (i: number, pad: string) =>
    JSON.stringify({ Actor: 'bench', OwnerOrganizationID: '', ResourceID: `bench-${i}`, Type: 4102, Timestamp: 0, TypeString: 'SEVT_ACCOUNT_UPDATED', Data: { Pad: pad, N: i }, EventID: i + 1 });
  // Messages of the size asked for (the runner passes the average size Halley's clients received), measured on a
  // message from the middle of the burst rather than guessed: the baseline sends as many bytes as Halley does.
  const pad = 'x'.repeat(Math.max(0, bytes - Buffer.byteLength(json(Math.floor(n / 2), ''))));
  const message = (i: number) => Buffer.from(json(i, pad));
  let i = 0;
  // In batches, so the event loop can write to the sockets while messages are produced (as Halley's tail
  // hands over one batch per poll).
  const slice = () => {
    const end = Math.min(n, i + BATCH);
    if (framed) {
      const frames: Buffer[] = [];
      for (; i < end; i++) frames.push(textFrame(message(i)));
      const batch = Buffer.concat(frames);
      for (const s of sockets) s.write(batch);
    } else {
      for (; i < end; i++) {
        const msg = message(i);
        for (const c of wss.clients) c.send(msg, { binary: false });
      }
    }
    if (i < n) setImmediate(slice);
    else res.end(String(wss.clients.size));
  };
  slice();
});
const wss = new WebSocketServer({ server });
wss.on('connection', (ws, req) => {
  const socket = req.socket;
  sockets.add(socket);
  ws.on('close', () => sockets.delete(socket));
});
// The runner's fetch reuses its connection for the next round's /broadcast, 2-6 s later. With Node's default 5 s
// keep-alive the server could close it just as a request went out ("fetch failed: other side closed", seen when
// a loaded machine stretched the gap between rounds): keep idle connections far longer than a round.
server.keepAliveTimeout = 10 * 60_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`);
});
