// Issue 19's compatibility check, SDK-shaped: every endpoint of Comet's contract (lib/comet/contract/
// endpoints.json, not Halley's registry) is called the way the official SDKs call it - a form POST with
// the credentials of its auth kind (a top-level admin, an end user, or none) and every required parameter
// filled with a minimal value of its contract type (JSON parameters JSON-encoded) - and none may answer
// "Unknown API endpoint", HTTP 404 or a 5xx. Errors about the values themselves are fine: the point is that
// Halley serves all 252 endpoints. A top-level admin with such values changes server-wide settings, so the
// file runs its own Halley web process on a scratch database and a private redis-server, as the fuzz suite
// does; the two calls that stop the server (shutdown, restart) are made with a wrong password instead, which
// still proves they are routed.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import contract from '../../lib/comet/contract/endpoints.json';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { freePort, randomHex, repoRoot, startRedis, type RunningService } from '../../scripts/lib/services.mjs';
import { CometClient, type ParamValue } from '../helpers/comet-client';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';

type ContractParam = { name: string; type: string; optional: boolean; encoding: string };
type ContractEndpoint = { path: string; method: string; auth: string; responseFormat: string; params: ContractParam[] };

const ENDPOINTS = (contract as { endpoints: ContractEndpoint[] }).endpoints;
const STOPS_THE_SERVER = new Set(['/api/v1/admin/meta/shutdown-service', '/api/v1/admin/meta/restart-service']);

const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
let scratch: { url: string; drop: () => Promise<void> };
let redis: RunningService;
let halley: HalleyProcess;
let admin: CometClient;
let user: CometClient;
const ADMIN = { username: `sdk-admin-${randomHex(3)}`, password: 'Correct-Horse-42' };
const USER = { username: `sdk-user-${randomHex(3)}`, password: 'Correct-Horse-43' };

/** A minimal value of a contract type, as an SDK would send it. */
function minimal(p: ContractParam): ParamValue {
  if (p.name === 'TargetUser' || p.name === 'Username') return USER.username;
  if (p.encoding === 'json') {
    if (p.type.startsWith('[]')) return [];
    return {};
  }
  if (/^u?int(8|16|32|64)?$/.test(p.type)) return 0;
  if (p.type === 'bool') return false;
  return 'sdk-probe';
}

function paramsFor(e: ContractEndpoint): Record<string, ParamValue> {
  return Object.fromEntries(e.params.filter((p) => !p.optional).map((p) => [p.name, minimal(p)]));
}

async function probe(e: ContractEndpoint): Promise<{ http: number; text: string }> {
  if (e.path === '/gen/branding.props') {
    const res = await fetch(new URL(e.path, halley.url));
    return { http: res.status, text: await res.text() };
  }
  if (e.path === '/api/v1/admin/meta/resource/new') {
    // Multipart, with the admin's credentials in X-Comet-Admin-* headers (as the SDKs send it).
    const form = new FormData();
    form.set('upload', new Blob([Buffer.from('sdk probe')], { type: 'text/plain' }), 'probe.txt');
    const res = await fetch(new URL(e.path, halley.url), {
      method: 'POST',
      headers: { 'X-Comet-Admin-Username': ADMIN.username, 'X-Comet-Admin-AuthType': 'Password', 'X-Comet-Admin-Password': ADMIN.password },
      body: form,
    });
    return { http: res.status, text: await res.text() };
  }
  const as =
    STOPS_THE_SERVER.has(e.path) ? new CometClient(halley.url, { ...ADMIN, password: 'not-the-password-1' }) : e.auth === 'user' ? user : e.auth === 'none' ? new CometClient(halley.url, null) : admin;
  const r = await as.call(e.path, paramsFor(e));
  return { http: r.http, text: r.text };
}

beforeAll(async () => {
  scratch = await createScratchDatabase(process.env.DATABASE_URL!);
  await applyMigrations(scratch.url, { log: () => {} });
  redis = await startRedis({ dir: path.join(servicesDir, `sdk-redis-${randomHex(4)}`), port: await freePort() });
  halley = await startHalley({ name: 'sdk-coverage', databaseUrl: scratch.url, logDir: servicesDir, env: { REDIS_URL: redis.url, LOG_LEVEL: 'warn' } });
  const anon = new CometClient(halley.url, null);
  const first = await anon.call('/api/v1/admin/add-first-admin-user', { TargetUser: ADMIN.username, TargetPassword: ADMIN.password });
  if (first.body?.Status !== 200) throw new Error(`add-first-admin-user: ${first.text}`);
  admin = new CometClient(halley.url, ADMIN);
  await admin.ok('/api/v1/admin/add-user', { TargetUser: USER.username, TargetPassword: USER.password });
  user = new CometClient(halley.url, USER);
}, 180_000);

afterAll(async () => {
  await halley?.stop();
  await redis?.stop();
  await scratch?.drop();
});

describe('every Comet endpoint, called as an SDK calls it', () => {
  it('the contract lists the 252 endpoints the SDKs know', () => {
    expect(ENDPOINTS).toHaveLength(252);
  });

  it('none answers "Unknown API endpoint", HTTP 404 or a 5xx', async () => {
    const problems: string[] = [];
    // The WebSocket event stream is not a form POST; tests/integration/event-stream.test.ts covers it.
    for (const e of ENDPOINTS.filter((x) => x.responseFormat !== 'json-frames')) {
      const { http, text } = await probe(e);
      if (/Unknown API endpoint/i.test(text)) problems.push(`${e.path}: Unknown API endpoint`);
      else if (http === 404 && e.responseFormat === 'json') problems.push(`${e.path}: HTTP 404 ${text.slice(0, 120)}`);
      else if (http >= 500) problems.push(`${e.path}: HTTP ${http} ${text.slice(0, 120)}`);
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
