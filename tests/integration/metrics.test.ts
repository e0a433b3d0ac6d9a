// /metrics, /healthz and /readyz of the web role and of the workers' own port: who may read /metrics
// (loopback by default; otherwise the bearer token or the address allow-list), and that the named halley_
// series move under load (API calls, live devices, command round trips, event-stream polls, webhook
// attempts, job durations, queue depths, pool use, process metrics). One node of its own (web + workers on
// a database and redis-server of this test), so its workers are the only ones taking its jobs.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedDevices, type SimulatedDevice } from '../../agent/simulated';
import { freePort, repoRoot } from '../../scripts/lib/services.mjs';
import type { CometClient } from '../helpers/comet-client';
import { makeUser } from '../helpers/fixtures';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { firstAdmin, servicesDir, startIsolatedServices, type IsolatedServices } from '../helpers/isolated-services';
import { liveConnectionId } from '../helpers/live';
import { parseMetrics, scrape } from '../helpers/prometheus';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';
import { WebhookReceiver } from '../helpers/webhook-receiver';

const token = randomBytes(24).toString('hex');
let services: IsolatedServices;
let node: HalleyProcess;
let workersUrl: string;
let root: CometClient;
const sims: SimulatedDevice[] = [];
const sockets: WebSocket[] = [];
let receiver: WebhookReceiver;

const auth = { authorization: `Bearer ${token}` };
const webMetrics = () => scrape(`${node.url}/metrics`, auth);
const workerMetrics = () => scrape(`${workersUrl}/metrics`, auth);

beforeAll(async () => {
  services = await startIsolatedServices('metrics');
  const workersPort = await freePort();
  workersUrl = `http://127.0.0.1:${workersPort}`;
  node = await startHalley({
    name: 'metrics-node',
    workers: true,
    databaseUrl: services.databaseUrl,
    logDir: servicesDir,
    env: {
      REDIS_URL: services.redisUrl,
      HALLEY_WORKERS_METRICS_PORT: String(workersPort),
      HALLEY_METRICS_ALLOW_LOOPBACK: '0',
      HALLEY_METRICS_TOKEN: token,
      HALLEY_METRICS_ALLOW: '10.0.0.0/8, 192.0.2.7',
      HALLEY_TRUST_X_FORWARDED_FOR: '1',
      HALLEY_ALLOW_PRIVATE_TARGETS: 'true',
      LOG_LEVEL: 'debug',
    },
  });
  root = await firstAdmin(node.url);
  receiver = await new WebhookReceiver().start();
}, 180_000);

afterAll(async () => {
  for (const s of sims) s.stop();
  for (const ws of sockets) ws.close();
  await receiver?.stop();
  await node?.stop();
  await services?.stop();
});

describe('health', () => {
  it('/healthz and /readyz answer JSON on the web role and the workers port, without credentials', async () => {
    for (const base of [node.url, workersUrl]) {
      const live = await fetch(`${base}/healthz`);
      expect(live.status).toBe(200);
      expect(live.headers.get('content-type')).toMatch(/application\/json/);
      expect(await live.json()).toMatchObject({ status: 'ok' });
      const ready = await fetch(`${base}/readyz`);
      const body = await ready.json();
      expect(ready.status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({
        status: 'ready',
        ready: true,
        draining: false,
        checks: { database: { ok: true }, redis: { ok: true }, migrations: { ok: true } },
      });
    }
    expect((await fetch(`${node.url}/readyz`, { method: 'POST' })).status).toBe(405);
  });

  it('the suite server answers too, and its /metrics is open to loopback by default', async () => {
    expect((await fetch(halleyUrl('/healthz'))).status).toBe(200);
    const m = await scrape(halleyUrl('/metrics'));
    expect(m.value('halley_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('structured logs', () => {
  it('each API call\'s log lines carry its request id, endpoint, actor and tenant', async () => {
    const requestId = `ops-${randomBytes(6).toString('hex')}`;
    const body = new URLSearchParams({ Username: root.creds!.username, AuthType: 'Password', Password: root.creds!.password! });
    const res = await fetch(`${node.url}/api/v1/admin/list-users`, { method: 'POST', body, headers: { 'x-request-id': requestId } });
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const line = await waitFor('the access log line', () =>
      fs
        .readFileSync(path.join(servicesDir, 'metrics-node.log'), 'utf8')
        .split('\n')
        .filter((l) => l.includes(requestId))
        .map((l) => JSON.parse(l))
        .find((l) => l.msg === 'api call'),
    );
    expect(line).toMatchObject({ requestId, endpoint: '/api/v1/admin/list-users', actor: `admin:${root.creds!.username}`, tenant: expect.any(String), status: 200 });
  });
});

describe('who may read /metrics', () => {
  it('refuses loopback when HALLEY_METRICS_ALLOW_LOOPBACK=0, unless the bearer token is given', async () => {
    expect((await fetch(`${node.url}/metrics`)).status).toBe(403);
    expect((await fetch(`${node.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(403);
    expect((await fetch(`${workersUrl}/metrics`)).status).toBe(403);
    const ok = await fetch(`${node.url}/metrics`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await fetch(`${workersUrl}/metrics`, { headers: auth })).status).toBe(200);
  });

  it('admits addresses of the allow-list (the client a trusted proxy names), refuses others', async () => {
    expect((await fetch(`${node.url}/metrics`, { headers: { 'x-forwarded-for': '10.20.30.40' } })).status).toBe(200);
    expect((await fetch(`${node.url}/metrics`, { headers: { 'x-forwarded-for': '192.0.2.7' } })).status).toBe(200);
    expect((await fetch(`${node.url}/metrics`, { headers: { 'x-forwarded-for': '192.0.2.8' } })).status).toBe(403);
    // The last entry is the one the proxy added; what the client wrote before it does not count.
    expect((await fetch(`${node.url}/metrics`, { headers: { 'x-forwarded-for': '10.0.0.1, 198.51.100.3' } })).status).toBe(403);
  });
});

describe('series move under load', () => {
  it('API calls by endpoint and status, with latency histograms', async () => {
    const before = await webMetrics();
    const path = '/api/v1/admin/list-users';
    const count = (m: typeof before, status: string) => m.value('halley_api_requests_total', { endpoint: path, status }) ?? 0;
    await Promise.all(Array.from({ length: 25 }, () => root.ok(path)));
    const bad = root.creds!;
    root.creds = { username: bad.username, password: 'not-the-password' };
    await root.call(path);
    root.creds = bad;
    await root.call('/api/v1/admin/no-such-endpoint');
    const after = await webMetrics();
    expect(count(after, '200') - count(before, '200')).toBe(25);
    expect(count(after, '403') - count(before, '403')).toBe(1);
    expect((after.value('halley_api_requests_total', { endpoint: 'other', status: '404' }) ?? 0) - (before.value('halley_api_requests_total', { endpoint: 'other', status: '404' }) ?? 0)).toBe(1);
    expect((after.value('halley_api_request_duration_seconds_count', { endpoint: path }) ?? 0) - (before.value('halley_api_request_duration_seconds_count', { endpoint: path }) ?? 0)).toBe(26);
    expect(after.value('halley_api_request_duration_seconds_bucket', { endpoint: path, le: '+Inf' })).toBe(after.value('halley_api_request_duration_seconds_count', { endpoint: path }));
    expect(after.value('halley_pg_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(after.value('halley_pg_pool_max')).toBe(10);
    for (const name of ['halley_process_cpu_user_seconds_total', 'halley_nodejs_eventloop_lag_seconds', 'halley_nodejs_heap_size_used_bytes']) {
      expect(after.value(name, { role: 'web' }), name).toBeGreaterThan(0);
    }
  });

  it('live devices on this node and command round trips', async () => {
    const user = await makeUser(root);
    sims.push(...(await startSimulatedDevices({ url: node.url, username: user.username, password: user.password, count: 3, prefix: `metrics-${user.username}` })));
    await waitFor('3 live devices in the gauge', async () => (await webMetrics()).value('halley_live_devices') === 3);
    const conn = await liveConnectionId(root, sims[0].deviceId);
    await root.ok('/api/v1/admin/dispatcher/refetch-profile', { TargetID: conn });
    const m = await webMetrics();
    expect(m.value('halley_live_command_duration_seconds_count', { command: 'refetch-profile', outcome: 'ok' })).toBe(1);
    expect(m.value('halley_live_lobby_devices')).toBe(0);
  });

  it('event-stream clients and the event tail\'s polls', async () => {
    const before = (await webMetrics()).value('halley_event_tail_polls_total') ?? 0;
    const ws = new WebSocket(`${node.url.replace(/^http/, 'ws')}/api/v1/events/stream`);
    sockets.push(ws);
    const first = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    await new Promise((resolve) => ws.once('open', resolve));
    for (const frame of [root.creds!.username, 'Password', root.creds!.password!, '', '']) ws.send(frame);
    expect(await first).toBe('200 OK');
    await waitFor('the tail to poll while a stream is open', async () => {
      const m = await webMetrics();
      return m.value('halley_event_stream_clients') === 1 && (m.value('halley_event_tail_polls_total') ?? 0) >= before + 5;
    });
  });

  it('webhook attempts, job durations, queue depths, backlog and outbox lag on the workers port', async () => {
    await root.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { m: { URL: receiver.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } } });
    for (let i = 0; i < 5; i++) await makeUser(root);
    await receiver.waitFor((r) => r.ofType(4100).length >= 5, 30_000, 'five user-created events');
    const m = await waitFor('the delivered attempts to be counted', async () => {
      const s = await workerMetrics();
      return (s.value('halley_webhook_attempts_total', { outcome: 'delivered' }) ?? 0) >= 5 ? s : undefined;
    });
    expect(m.value('halley_job_duration_seconds_count', { queue: 'halley-webhooks', outcome: 'completed' })).toBeGreaterThan(0);
    expect(m.value('halley_queue_jobs', { queue: 'halley-webhooks', state: 'waiting' })).toBeGreaterThanOrEqual(0);
    expect(m.value('halley_webhook_backlog')).toBeGreaterThanOrEqual(0);
    expect(m.value('halley_event_outbox_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(m.value('halley_process_resident_memory_bytes', { role: 'workers' })).toBeGreaterThan(0);
  });

  it('the exposition parses and every Halley series carries the prefix', async () => {
    const text = await (await fetch(`${node.url}/metrics`, { headers: auth })).text();
    const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((x) => x[1]);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((n) => !n.startsWith('halley_'))).toEqual([]);
    expect(() => parseMetrics(text)).not.toThrow();
  });

  it('every series the Grafana dashboard (docs/grafana-halley.json) queries is exported by a web or workers node', async () => {
    const dashboard = fs.readFileSync(path.join(repoRoot, 'docs', 'grafana-halley.json'), 'utf8');
    JSON.parse(dashboard);
    const wanted = new Set([...dashboard.matchAll(/\bhalley_[a-z0-9_]+/g)].map((x) => x[0].replace(/_(bucket|count|sum)$/, '')));
    const typed = new Set<string>();
    for (const text of [(await webMetrics()).text, (await workerMetrics()).text]) for (const x of text.matchAll(/^# TYPE (\S+)/gm)) typed.add(x[1]);
    expect([...wanted].filter((n) => !typed.has(n))).toEqual([]);
  });
});
