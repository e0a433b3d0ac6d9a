// /readyz on a web node that is shutting down or cannot reach Redis: SIGTERM turns it 503 ("draining") at
// once while the node still serves during HALLEY_DRAIN_DELAY_SECONDS, then its devices and event-stream
// clients are told to reconnect (close code 1012) and the process exits; a node whose Redis is unreachable is alive but not ready.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/services.mjs';
import { makeTenant, makeUser, type TenantFixture } from '../helpers/fixtures';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { servicesDir } from '../helpers/isolated-services';
import { DEVICE_CONNECT_PATH, PROTOCOL_VERSION } from '../../lib/live/protocol';
import { waitFor } from '../helpers/wait';

let t: TenantFixture;
const nodes: HalleyProcess[] = [];

beforeAll(async () => {
  t = await makeTenant('drain');
}, 60_000);

afterAll(async () => {
  for (const n of nodes) await n.stop().catch(() => undefined);
});

async function connectDevice(url: string, user: { username: string; password: string }): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + DEVICE_CONNECT_PATH, { perMessageDeflate: false });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const welcome = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
  ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, auth: { kind: 'password', username: user.username, password: user.password }, device: { deviceId: `drain-${user.username}`, friendlyName: 'drain', version: '1', platform: 'linux' } }));
  expect(JSON.parse(await welcome).t).toBe('welcome');
  return { ws, closed };
}

/** An admin event-stream client past its login ("200 OK" and the hello event received). */
async function connectEventStream(url: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/api/v1/events/stream');
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const frames: string[] = [];
  const gotTwo = new Promise<void>((resolve) =>
    ws.on('message', (d) => {
      frames.push(d.toString());
      if (frames.length === 2) resolve();
    }),
  );
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  for (const frame of [t.adminName, 'Password', t.admin.creds!.password!, '', '']) ws.send(frame);
  await gotTwo;
  expect(frames[0]).toBe('200 OK');
  expect(JSON.parse(frames[1]).TypeString).toBe('SEVT_META_HELLO');
  return { ws, closed };
}

describe('draining on SIGTERM', () => {
  it('/readyz turns 503 at once, requests are still served during the drain delay, then devices are told to reconnect and the node exits', async () => {
    const node = await startHalley({ name: 'drain-node', logDir: servicesDir, env: { HALLEY_DRAIN_DELAY_SECONDS: '5' } });
    nodes.push(node);
    expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
    const device = await connectDevice(node.url, await makeUser(t.admin));
    const stream = await connectEventStream(node.url);
    const stopped = node.stop(); // SIGTERM, then waits for the exit
    const draining = await waitFor('/readyz to say draining', async () => {
      const r = await fetch(`${node.url}/readyz`).catch(() => null);
      return r?.status === 503 ? r.json() : undefined;
    }, 12_000, 50);
    expect(draining).toMatchObject({ status: 'draining', ready: false, draining: true, checks: { database: { ok: true }, redis: { ok: true } } });
    // Still serving while load balancers take it out; answers ask clients to close their connection.
    const during = await fetch(`${node.url}/healthz`);
    expect(during.status).toBe(200);
    expect(during.headers.get('connection')).toBe('close');
    const api = await fetch(`${node.url}/api/v1/admin/list-users`, { method: 'POST', body: new URLSearchParams({ Username: t.adminName, AuthType: 'Password', Password: t.admin.creds!.password! }) });
    expect(api.status).toBe(200);
    expect(await device.closed).toBe(1012);
    // Event-stream clients too: 1012 (service restart) tells them to reconnect elsewhere and resume with ?since=.
    expect(await stream.closed).toBe(1012);
    await stopped;
    await expect(fetch(`${node.url}/healthz`)).rejects.toThrow();
  });
});

describe('readiness of its parts', () => {
  it('a node whose Redis does not answer is alive (/healthz 200) but not ready (/readyz 503 naming Redis)', async () => {
    const node = await startHalley({ name: 'no-redis-node', logDir: servicesDir, env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
    nodes.push(node);
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    const r = await fetch(`${node.url}/readyz`);
    expect(r.status).toBe(503);
    const body = await r.json();
    expect(body).toMatchObject({ status: 'not ready', ready: false, draining: false, checks: { database: { ok: true }, redis: { ok: false }, migrations: { ok: true } } });
    expect(body.checks.redis.error).toMatch(/no connection to Redis/);
    expect(JSON.stringify(body)).not.toMatch(/postgres(ql)?:\/\//);
  });
});
