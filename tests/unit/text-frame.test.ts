// The event stream writes frames it built itself (lib/adapters/ws/text-frame.ts) straight to the socket:
// a real `ws` client must read them as the same text messages, at every length encoding (7, 16, 64 bit).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame } from '../../lib/adapters/ws/text-frame';

const sizes = [0, 1, 125, 126, 127, 1000, 65535, 65536, 70000];
const payload = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26))).join(''));

let server: http.Server;
let url = '';
beforeAll(async () => {
  server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (_ws, req) => {
    // Several frames in one write, as the stream sends a batch.
    req.socket.write(Buffer.concat(sizes.map((n) => textFrame(payload(n)))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a ws client reads self-built text frames of every length as the same messages', async () => {
  const got: Array<{ text: string; binary: boolean }> = [];
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer, isBinary) => {
      got.push({ text: data.toString('utf8'), binary: isBinary });
      if (got.length === sizes.length) resolve();
    });
  });
  ws.terminate();
  expect(got.map((g) => g.binary)).toEqual(sizes.map(() => false));
  expect(got.map((g) => g.text.length)).toEqual(sizes);
  sizes.forEach((n, i) => expect(got[i].text).toBe(payload(n).toString('utf8')));
});
