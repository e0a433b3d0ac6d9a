// A load-generator process for bench/live.ts: holds `count` device connections (raw `ws`, token sign-in,
// spread over several 127.0.0.x source addresses) to Halley's device endpoint or to the bare baseline
// server, answers every command at once, and reports to its parent over IPC.
import WebSocket from 'ws';
import { DEVICE_CONNECT_PATH, PROTOCOL_VERSION } from '../lib/live/protocol';

type Start = { url: string; devices: Array<{ deviceId: string; username: string; token: string }>; concurrency: number; sources: number };

const sockets: WebSocket[] = [];

function connect(url: string, d: Start['devices'][number], localAddress: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url + DEVICE_CONNECT_PATH, { perMessageDeflate: false, localAddress });
    let welcomed = false;
    ws.on('open', () =>
      ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, auth: { kind: 'token', username: d.username, token: d.token }, device: { deviceId: d.deviceId, friendlyName: d.deviceId, version: 'bench', platform: 'linux' } })),
    );
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (!welcomed) {
        welcomed = true;
        if (!text.includes('"welcome"')) return reject(new Error(`not welcomed: ${text.slice(0, 200)}`));
        sockets.push(ws);
        return resolve();
      }
      const frame = JSON.parse(text) as { t: string; id?: string };
      if (frame.t === 'cmd') ws.send(JSON.stringify({ t: 'res', id: frame.id, ok: true, message: 'OK' }));
    });
    ws.on('error', (err) => (welcomed ? undefined : reject(err)));
    ws.on('close', (code) => (welcomed ? process.send?.({ kind: 'closed', code }) : reject(new Error(`closed ${code}`))));
  });
}

process.on('message', async (msg: Start | { kind: 'stop' }) => {
  if ('kind' in msg) {
    for (const ws of sockets) ws.terminate();
    setTimeout(() => process.exit(0), 200);
    return;
  }
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < msg.devices.length) {
      const i = next++;
      const localAddress = `127.0.0.${1 + (i % msg.sources)}`;
      for (let attempt = 0; ; attempt++) {
        try {
          await connect(msg.url, msg.devices[i], localAddress);
          break;
        } catch (err) {
          if (attempt >= 3) {
            failed += 1;
            if (failed < 5) process.send?.({ kind: 'log', message: (err as Error).message });
            break;
          }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: msg.concurrency }, worker));
  process.send?.({ kind: 'connected', connected: sockets.length, failed });
});
