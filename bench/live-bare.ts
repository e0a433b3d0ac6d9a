// The baseline of bench/live.ts: a bare `ws` server on node:http holding the same device sockets
// (permessage-deflate off, a welcome frame after the hello), and `POST /cmd?i=N` that sends a command
// frame to the N-th socket and answers when the device's reply comes back: the least a relay can do.
// Open sockets are the ones ws tracks itself (`wss.clients`, its default), so devices that leave are let go.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

const pending = new Map<string, () => void>();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
/** wss.clients as an array for /cmd, taken again when the number of sockets changed. */
let targets: WebSocket[] = [];
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/health') return void res.end('ok');
  if (url.pathname === '/count') return void res.end(String(wss.clients.size));
  if (url.pathname === '/cmd') {
    if (targets.length !== wss.clients.size) targets = [...wss.clients];
    const ws = targets[Number(url.searchParams.get('i')) % targets.length];
    const id = randomUUID();
    pending.set(id, () => res.end(JSON.stringify({ Status: 200, Message: 'OK' })));
    ws.send(JSON.stringify({ t: 'cmd', id, cmd: { type: 'refetch-profile' } }));
    return;
  }
  res.statusCode = 404;
  res.end();
});
server.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => {
    let hello = false;
    ws.on('message', (data: Buffer) => {
      if (!hello) {
        hello = true;
        return void ws.send(JSON.stringify({ t: 'welcome', v: 1, connectionId: randomUUID(), username: 'u', deviceId: 'd', heartbeatSeconds: 20, serverTime: 0 }));
      }
      const frame = JSON.parse(data.toString()) as { id: string };
      pending.get(frame.id)?.();
      pending.delete(frame.id);
    });
  }),
);
server.listen(Number(process.env.PORT), '127.0.0.1');
