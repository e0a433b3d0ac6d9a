// OpenTelemetry traces: a node started with OTEL_EXPORTER_OTLP_ENDPOINT exports OTLP/HTTP (JSON) spans to a
// collector written for the test on 127.0.0.1 (allowed because private targets are switched on): one span
// per API call (endpoint, Comet status, tenant id, request id; no parameter value, so no secret) whose trace
// id is on the call's log lines, and one per background job (queue, job name) from the workers process.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CometClient } from '../helpers/comet-client';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { firstAdmin, servicesDir, startIsolatedServices, type IsolatedServices } from '../helpers/isolated-services';
import { waitFor } from '../helpers/wait';

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type ReceivedSpan = { name: string; kind: number; traceId: string; attributes: Record<string, string | number | boolean>; resource: Record<string, string | number | boolean> };

const flatten = (attrs: Array<{ key: string; value: OtlpValue }> = []) =>
  Object.fromEntries(attrs.map(({ key, value }) => [key, value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.doubleValue ?? ''))]));

/** A minimal OTLP/HTTP JSON traces receiver. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly bodies: string[] = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('json')) {
        res.writeHead(415).end();
        return;
      }
      const text = body.toString('utf8');
      this.bodies.push(text);
      for (const rs of JSON.parse(text).resourceSpans ?? []) {
        const resource = flatten(rs.resource?.attributes);
        for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) this.spans.push({ name: s.name, kind: s.kind, traceId: s.traceId, attributes: flatten(s.attributes), resource });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  url = '';
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let services: IsolatedServices;
let node: HalleyProcess;
let root: CometClient;
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await new OtlpReceiver().start();
  services = await startIsolatedServices('tracing');
  node = await startHalley({
    name: 'tracing-node',
    workers: true,
    databaseUrl: services.databaseUrl,
    logDir: servicesDir,
    env: {
      REDIS_URL: services.redisUrl,
      HALLEY_WORKERS_METRICS_PORT: '0',
      HALLEY_ALLOW_PRIVATE_TARGETS: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'halley-test',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      LOG_LEVEL: 'debug',
    },
  });
  root = await firstAdmin(node.url);
}, 180_000);

afterAll(async () => {
  await node?.stop();
  await services?.stop();
  await receiver?.stop();
});

describe('OpenTelemetry traces', () => {
  it('an API call is one server span with endpoint, status, tenant and request id, and its trace id is on its log lines', async () => {
    const requestId = `otel-${randomBytes(6).toString('hex')}`;
    const password = root.creds!.password!;
    const res = await fetch(`${node.url}/api/v1/admin/list-users`, {
      method: 'POST',
      body: new URLSearchParams({ Username: root.creds!.username, AuthType: 'Password', Password: password }),
      headers: { 'x-request-id': requestId },
    });
    expect(res.status).toBe(200);
    const span = await waitFor('the API span', () => receiver.spans.find((s) => s.attributes['halley.request_id'] === requestId), 30_000, 50);
    expect(span.name).toBe('API /api/v1/admin/list-users');
    expect(span.kind).toBe(2); // SERVER
    expect(span.attributes).toMatchObject({ 'halley.endpoint': '/api/v1/admin/list-users', 'halley.status': 200, 'halley.actor_kind': 'admin', 'http.request.method': 'POST' });
    expect(typeof span.attributes['halley.tenant_id']).toBe('string');
    expect(span.resource).toMatchObject({ 'service.name': 'halley-test', 'halley.role': 'web' });
    // No secret in anything exported.
    for (const body of receiver.bodies) expect(body).not.toContain(password);

    // The call's log lines carry the same trace id as its span.
    const logFile = path.join(servicesDir, 'tracing-node.log');
    const line = await waitFor('a log line of the call', () =>
      fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l.includes(requestId))
        .map((l) => JSON.parse(l))
        .find((l) => l.traceId),
    );
    expect(line.traceId).toBe(span.traceId);

    // A refused call is a span too, with its Comet status.
    const bad = await fetch(`${node.url}/api/v1/admin/list-users`, { method: 'POST', body: new URLSearchParams({ Username: 'nobody', AuthType: 'Password', Password: 'wrong' }), headers: { 'x-request-id': `${requestId}-bad` } });
    expect((await bad.json()).Status).toBe(403);
    const refused = await waitFor('the refused call\'s span', () => receiver.spans.find((s) => s.attributes['halley.request_id'] === `${requestId}-bad`), 30_000, 50);
    expect(refused.attributes['halley.status']).toBe(403);
    expect(refused.attributes['halley.tenant_id']).toBeUndefined();
  });

  it('a background job is one consumer span from the workers process', async () => {
    // email-follow-outbox runs every 2 s on every node's scheduler: no setup needed.
    const span = await waitFor('a job span', () => receiver.spans.find((s) => s.name.startsWith('job ') && s.resource['halley.role'] === 'workers'), 30_000, 50);
    expect(span.kind).toBe(5); // CONSUMER
    expect(span.name).toBe(`job ${span.attributes['halley.queue']}/${span.attributes['halley.job']}`);
    expect(span.attributes['halley.job_id']).toBeTruthy();
    expect(span.resource['service.name']).toBe('halley-test');
  });
});
