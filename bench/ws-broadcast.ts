// Baseline of the fan-out benchmark: a bare `ws` server with the plainest broadcast loop. Clients connect
// to ws://127.0.0.1:PORT/; `POST /broadcast?n=N&bytes=B` sends N distinct text messages of about B bytes,
// each to every connected client (`for (const c of wss.clients) c.send(msg)`, msg a Buffer encoded once),
// then answers.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 0);
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method === 'GET' && url.pathname === '/health') return void res.end('ok');
  if (req.method !== 'POST' || url.pathname !== '/broadcast') return void res.writeHead(404).end();
  const n = Number(url.searchParams.get('n') ?? 1000);
  const bytes = Number(url.searchParams.get('bytes') ?? 1024);
  const pad = 'x'.repeat(Math.max(0, bytes - 200));
  let i = 0;
  // In slices, so the event loop can write to the sockets while messages are produced (as Halley's tail
  // hands over one batch per poll).
  const slice = () => {
    const end = Math.min(n, i + 100);
    for (; i < end; i++) {
      // Encoded once per message, like Halley does per event (sending the string would encode it per client).
      const msg = Buffer.from(JSON.stringify({ Actor: 'bench', OwnerOrganizationID: '', ResourceID: `bench-${i}`, Type: 4102, Timestamp: 0, TypeString: 'SEVT_ACCOUNT_UPDATED', Data: { Pad: pad, N: i }, EventID: i + 1 }));
      for (const c of wss.clients) c.send(msg, { binary: false });
    }
    if (i < n) setImmediate(slice);
    else res.end(String(wss.clients.size));
  };
  slice();
});
const wss = new WebSocketServer({ server });
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`);
});
