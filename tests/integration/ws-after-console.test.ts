// Regression: Next attaches an 'upgrade' listener to the HTTP server after it serves its first page and
// then answered (and dropped) every websocket upgrade, so the event stream broke once anyone opened the
// console. server.ts gives Next a sink instead; the stream must keep working after console pages.
import WebSocket from 'ws';
import { expect, it } from 'vitest';
import { ROOT, rootClient } from '../helpers/fixtures';
import { halleyFetch, halleyUrl } from '../helpers/server';

it('serves the event stream after the console has served pages', async () => {
  await rootClient();
  for (const path of ['/login', '/setup', '/']) await (await halleyFetch(path)).arrayBuffer();
  const ws = new WebSocket(halleyUrl('/api/v1/events/stream').replace(/^http/, 'ws'), { perMessageDeflate: false });
  const messages: string[] = [];
  const hello = new Promise<void>((resolve, reject) => {
    ws.on('message', (d) => {
      messages.push(d.toString());
      if (messages.length === 2) resolve();
    });
    ws.on('close', (code) => reject(new Error(`closed with ${code} after ${JSON.stringify(messages)}`)));
    ws.on('error', reject);
  });
  ws.on('open', () => {
    for (const f of [ROOT.username, 'Password', ROOT.password, '', '']) ws.send(f);
  });
  await hello;
  ws.close();
  expect(messages[0]).toBe('200 OK');
  expect(JSON.parse(messages[1]).TypeString).toBe('SEVT_META_HELLO');
});
