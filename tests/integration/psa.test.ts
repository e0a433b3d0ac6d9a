// PSA integrations (issue 18): admin/meta/psa-config-list/get|set|sync-now and the status extension. One
// organization's list holds a Generic receiver, a Gradient and a Syncro integration; their services are local
// mocks (tests/helpers/psa-mock.ts: the real Gradient and Syncro cannot run here) that check the requests'
// shapes. Secrets are sealed at rest, never answered, and kept when a client sends get's blanks back.
import { createHmac } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_MASK } from '../../lib/webhooks/custom-headers';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs } from '../helpers/jobs';
import { allowPrivateTargets } from '../helpers/private-targets';
import { PsaMock, type PsaMockRequest } from '../helpers/psa-mock';
import { waitFor } from '../helpers/wait';
import type { CometClient } from '../helpers/comet-client';

const GENERIC_KEY = uniq('generic-partner-key');
const HEADER_SECRET = uniq('header-secret');
const GRADIENT_KEY = uniq('gradient-partner-key');
const SYNCRO_KEY = uniq('syncro-api-token');

let db: pg.Client;
let root: CometClient;
let a: TenantFixture;
let b: TenantFixture;
let userA: string;
let failedJob: string;
let restorePrivate: () => Promise<void>;
let failFirstGeneric = 1;
const generic = new PsaMock(() => (failFirstGeneric-- > 0 ? { status: 503, json: { error: 'busy' } } : { status: 202, json: { ok: true } }));
let serviceSeq = 0;
const gradient = new PsaMock((r) => {
  if (r.method === 'GET' && r.path === '/api/vendor-api/vendor') return { status: 200, json: { data: { skus: [] } } };
  if (r.method === 'POST' && r.path === '/api/vendor-api/service') return { status: 201, json: { data: { id: `svc-${++serviceSeq}` } } };
  // The partner has not mapped the boosters service: Gradient answers 404 for it.
  if (r.method === 'POST' && r.path === '/api/vendor-api/billing' && r.json?.serviceId === 'svc-3') return { status: 404, json: { statusCode: 404, message: 'No account map found' } };
  return { status: 201, json: { messageId: 'm-1' } };
});
const syncro = new PsaMock((r) => {
  if (r.method === 'GET' && r.path.startsWith('/api/v1/customers')) return { status: 200, json: { customers: [] } };
  if (r.method === 'POST' && r.path === '/api/v1/customers') return { status: 200, json: { customer: { id: 4242, business_name: r.json?.business_name } } };
  return { status: 200, json: { ticket: { id: 7 } } };
});

const setList = (by: CometClient, list: any) => by.call('/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: list });

function fullList() {
  return [
    { Type: 0, URL: `${generic.url}/usage`, PartnerKey: GENERIC_KEY, CustomHeaders: { 'X-Api-Key': HEADER_SECRET }, AlertsDisabled: false, GroupedBy: { Users: true, Tenants: false, AccountName: false } },
    { Type: 1, URL: gradient.url, PartnerKey: GRADIENT_KEY, AlertsDisabled: false, GroupedBy: { Users: false, Tenants: false, AccountName: true } },
    { Type: 2, URL: syncro.url, PartnerKey: SYNCRO_KEY, AlertsDisabled: false, GroupedBy: { Users: false, Tenants: true, AccountName: false } },
  ];
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  await Promise.all([generic.start(), gradient.start(), syncro.start()]);
  restorePrivate = await allowPrivateTargets(true);
  root = await rootClient();
  [a, b] = await Promise.all([makeTenant('psa-a'), makeTenant('psa-b')]);
  userA = (await makeUser(a.admin)).username;
  const profile = await a.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: userA });
  const created = nowSeconds() - 10 * 86_400;
  await a.admin.ok('/api/v1/admin/set-user-profile', {
    TargetUser: userA,
    ProfileData: { ...profile, AccountName: 'Acme Dental', CreateTime: created, Devices: { [uniq('dev')]: { FriendlyName: 'FRONT-DESK', RegistrationTime: created } } },
  });
  const job = jobDetail(userA, { Status: 7002, StartTime: nowSeconds() - 600, EndTime: nowSeconds() - 60 });
  failedJob = job.GUID;
  await seedJobs([job]);
  await a.admin.ok('/api/v1/admin/billing/backfill', { Days: 2, Force: true });
  await waitFor('two back-filled days of tenant A', async () => {
    const r = await db.query(`SELECT count(*)::int AS n FROM "UsageTenantDay" WHERE "tenantId" = $1`, [a.id]);
    return r.rows[0].n >= 2;
  }, 60_000);
}, 120_000);

afterAll(async () => {
  await restorePrivate?.();
  await Promise.all([generic.stop(), gradient.stop(), syncro.stop()]);
  await db?.end();
});

describe('admin/meta/psa-config-list/get|set', () => {
  it('stores the list per organization, seals the secrets and never answers them', async () => {
    const set = await setList(a.admin, fullList());
    expect(set.body).toMatchObject({ Status: 200 });
    const got = await a.admin.call('/api/v1/admin/meta/psa-config-list/get');
    expect(got.body).toHaveLength(3);
    expect(got.body[0]).toEqual({ AlertsDisabled: false, CustomHeaders: { 'X-Api-Key': HEADER_MASK }, Type: 0, URL: `${generic.url}/usage`, GroupedBy: { Users: true, Tenants: false, AccountName: false } });
    expect(got.body.map((c: any) => c.Type)).toEqual([0, 1, 2]);
    for (const secret of [GENERIC_KEY, HEADER_SECRET, GRADIENT_KEY, SYNCRO_KEY]) expect(got.text).not.toContain(secret);
    const stored = await db.query(`SELECT "partnerKey", "customHeaders"::text AS h FROM "PsaConfig" WHERE "tenantId" = $1`, [a.id]);
    for (const row of stored.rows) {
      for (const secret of [GENERIC_KEY, HEADER_SECRET, GRADIENT_KEY, SYNCRO_KEY]) expect(`${row.partnerKey} ${row.h}`).not.toContain(secret);
    }
    const status = await a.admin.ok('/api/v1/admin/meta/psa-config-list/status');
    expect(status.Integrations.map((i: any) => [i.TypeName, i.HasPartnerKey, i.HeaderNames])).toEqual([
      ['Generic', true, ['X-Api-Key']],
      ['Gradient', true, []],
      ['Syncro', true, []],
    ]);
    // What get answered, sent back as it is (blank keys, masked header), keeps every secret.
    expect((await setList(a.admin, got.body)).body.Status).toBe(200);
    const after = await a.admin.ok('/api/v1/admin/meta/psa-config-list/status');
    expect(after.Integrations.every((i: any) => i.HasPartnerKey)).toBe(true);
    expect(JSON.stringify(after)).not.toContain(GENERIC_KEY);
  });

  it('keeps each organization to its own list (a tenant admin, the top level, another tenant)', async () => {
    expect(await b.admin.ok('/api/v1/admin/meta/psa-config-list/get')).toEqual([]);
    expect((await b.admin.ok('/api/v1/admin/meta/psa-config-list/status')).Integrations).toEqual([]);
    expect(await root.ok('/api/v1/admin/meta/psa-config-list/get')).toEqual([]);
    // B's sync-now pushes nothing of A's.
    const before = generic.requests.length + gradient.requests.length + syncro.requests.length;
    await b.admin.ok('/api/v1/admin/meta/psa-config-list/sync-now');
    const pushes = await db.query(`SELECT count(*)::int AS n FROM "PsaPush" WHERE "tenantId" = $1`, [b.id]);
    expect(pushes.rows[0].n).toBe(0);
    expect(generic.requests.length + gradient.requests.length + syncro.requests.length).toBe(before);
  });

  it('refuses bad input with a clear message and changes nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ Type: 0 }, /expected an array/],
      [[{ Type: 9, URL: 'https://psa.example.com' }], /Type must be PSA_TYPE_GENERIC/],
      [[{ Type: 0, URL: '' }], /URL must not be empty/],
      [[{ Type: 0, URL: 'ftp://psa.example.com/x' }], /http:\/\/ or https:\/\//],
      [[{ Type: 1, URL: '' }], /PartnerKey must not be empty: a Gradient/],
      [[{ Type: 2, URL: 'not a subdomain!', PartnerKey: 'k' }], /neither a Syncro subdomain/],
      [[{ Type: 0, URL: 'https://psa.example.com', CustomHeaders: { 'Content-Type': 'text/plain' } }], /set by Halley/],
      [[{ Type: 0, URL: 'https://psa.example.com', GroupedBy: { Users: 'yes' } }], /GroupedBy\.Users: expected a boolean/],
    ];
    for (const [list, message] of cases) {
      const r = await setList(b.admin, list);
      expect(r.body.Status, JSON.stringify(list)).toBe(400);
      expect(r.body.Message).toMatch(message);
    }
    // The outbound guard: a loopback URL is refused while private targets are not allowed.
    const restore = await allowPrivateTargets(false);
    try {
      const r = await setList(b.admin, [{ Type: 0, URL: 'http://127.0.0.1:9/psa' }]);
      expect(r.body.Status).toBe(400);
      expect(r.body.Message).toMatch(/refused/i);
    } finally {
      await restore();
    }
    expect(await b.admin.ok('/api/v1/admin/meta/psa-config-list/get')).toEqual([]);
  });
});

describe('admin/meta/psa-config-list/sync-now', () => {
  it('pushes usage and alerts to the Generic receiver (signed, retried), Gradient and Syncro', async () => {
    await a.admin.ok('/api/v1/admin/meta/psa-config-list/sync-now');
    await waitFor('all three pushes delivered', async () => {
      const s = await a.admin.ok('/api/v1/admin/meta/psa-config-list/status');
      return s.Integrations.every((i: any) => i.Pushes[0]?.Status === 'delivered') && s;
    }, 60_000);
    const status = await a.admin.ok('/api/v1/admin/meta/psa-config-list/status');

    // Generic: the first attempt got 503, the retry 202; the body is signed with the PartnerKey.
    const [g, gr, sy] = status.Integrations;
    expect(g.Pushes[0]).toMatchObject({ Trigger: 'sync-now', Status: 'delivered', Attempts: 2, ResponseCode: 202, Alerts: 1 });
    const received = generic.requests.filter((r) => r.method === 'POST');
    expect(received).toHaveLength(2);
    const last = received[1];
    expect(last.path).toBe('/usage');
    expect(last.headers['x-api-key']).toBe(HEADER_SECRET);
    const ts = String(last.headers['x-halley-timestamp']);
    expect(last.headers['x-halley-signature']).toBe(`sha256=${createHmac('sha256', GENERIC_KEY).update(`${ts}.${last.body}`).digest('hex')}`);
    expect(last.json).toMatchObject({ Source: 'Halley', Trigger: 'sync-now', OrganizationID: a.id, GroupedBy: { Users: true } });
    const row = last.json.ByUser.find((u: any) => u.Username === userA);
    expect(row).toMatchObject({ AccountName: 'Acme Dental', Devices: 1 });
    expect(last.json.Totals.Devices).toBe(1);
    expect(last.json.Alerts).toHaveLength(1);
    expect(last.json.Alerts[0]).toMatchObject({ JobID: failedJob, Username: userA, Status: 7002, StatusName: 'FAILED_ERROR' });

    // Gradient: GRADIENT-TOKEN of vendor and partner key; accounts, services, unit counts, the alert.
    expect(gr.Pushes[0]).toMatchObject({ Status: 'delivered', Alerts: 1 });
    expect(gr.Pushes[0].LastError).toMatch(/not mapped in Gradient yet/);
    const token = Buffer.from(`halley-test-vendor-key:${GRADIENT_KEY}`).toString('base64');
    expect(gradient.requests.every((r) => r.headers['gradient-token'] === token)).toBe(true);
    const byPath = (p: string) => gradient.requests.filter((r: PsaMockRequest) => r.path === p);
    expect(byPath('/api/vendor-api/organization/accounts')[0].json).toEqual([{ id: 'name:Acme Dental', name: 'Acme Dental', description: 'Halley name:Acme Dental' }]);
    expect(byPath('/api/vendor-api/service').map((r) => r.json.name)).toEqual(['Halley backup devices', 'Halley backup storage (GB)', 'Halley backup boosters', 'Halley Microsoft 365 accounts']);
    expect(byPath('/api/vendor-api/billing').map((r) => r.json)).toContainEqual({ accountId: 'name:Acme Dental', serviceId: 'svc-1', unitCount: 1 });
    expect(byPath('/api/vendor-api/alerting')[0].json).toMatchObject({ accountId: 'name:Acme Dental', alertId: `job:${failedJob}`, priority: 1, status: 1 });

    // Syncro: the organization as a customer (GroupedBy Tenants), the alert as a ticket on it.
    expect(sy.Pushes[0]).toMatchObject({ Status: 'delivered', Alerts: 1 });
    expect(syncro.requests.every((r) => r.headers.authorization === `Bearer ${SYNCRO_KEY}`)).toBe(true);
    expect(syncro.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/customers')?.json).toMatchObject({ business_name: a.name });
    const ticket = syncro.requests.find((r) => r.path === '/api/v1/tickets');
    expect(ticket?.json).toMatchObject({ customer_id: 4242, status: 'New', comments_attributes: [{ hidden: false, do_not_email: true }] });

    // Alerts are sent once: the next push carries none, and Gradient's services are not created again.
    const servicesBefore = byPath('/api/vendor-api/service').length;
    await a.admin.ok('/api/v1/admin/meta/psa-config-list/sync-now');
    await waitFor('the second pushes delivered', async () => {
      const s = await a.admin.ok('/api/v1/admin/meta/psa-config-list/status');
      return s.Integrations.every((i: any) => i.Pushes.length === 2 && i.Pushes[0].Status === 'delivered');
    }, 60_000);
    expect(generic.requests[generic.requests.length - 1].json.Alerts).toEqual([]);
    expect(byPath('/api/vendor-api/service').length).toBe(servicesBefore);
    expect(syncro.requests.filter((r) => r.path === '/api/v1/tickets')).toHaveLength(1);
  }, 120_000);

  it('records a refused or failing push in the log with the reason', async () => {
    const dead = new PsaMock(() => ({ status: 500, json: { error: 'down' } }));
    await dead.start();
    try {
      await a.admin.ok('/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: [{ Type: 0, URL: `${dead.url}/x`, GroupedBy: {} }] });
      await a.admin.ok('/api/v1/admin/meta/psa-config-list/sync-now');
      const push = await waitFor('the push failed after every attempt', async () => {
        const s = await a.admin.ok('/api/v1/admin/meta/psa-config-list/status');
        return s.Integrations[0].Pushes[0]?.Status === 'failed' && s.Integrations[0].Pushes[0];
      }, 90_000);
      expect(push.Attempts).toBe(6);
      expect(push.LastError).toMatch(/HTTP 500/);
      expect(dead.requests).toHaveLength(6);
    } finally {
      await dead.stop();
    }
  }, 120_000);
});
