// Webhooks against the shared test server and its workers, with real HTTP receivers on 127.0.0.1:
// Comet's webhook-options/get|set at server and tenant level, the SSRF guard at set time, hello on
// configuration, signed deliveries of SEVT_* events, tenant scoping, the delivery log, redeliver and test,
// redirects not followed, and a receiver that is down for a while (nothing lost, order kept per resource);
// CustomHeaders sealed at rest and masked on the way out (the mask on save keeps the stored value).
// The workers run with short test retry timings (tests/helpers/halley-process.ts, TEST_WEBHOOK_ENV).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_MASK } from '../../lib/webhooks/custom-headers';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { sql } from '../helpers/security';
import { verifySignature, WebhookReceiver } from '../helpers/webhook-receiver';
import type { CometClient } from '../helpers/comet-client';

const receivers: WebhookReceiver[] = [];
async function receiver(): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver().start();
  receivers.push(r);
  return r;
}
afterAll(async () => {
  for (const r of receivers) await r.stop();
});

async function allowWebhookEdits(t: TenantFixture): Promise<void> {
  await sql(`UPDATE "AdminUser" SET permissions = permissions || '{"AllowEditWebhooks": true}'::jsonb WHERE username = $1`, [t.adminName]);
}

async function secretOf(c: CometClient, id: string): Promise<string> {
  return (await c.ok('/api/v1/admin/meta/webhook-options/get-secret', { WebhookID: id })).Secret;
}

async function deliveries(c: CometClient, id: string, extra: Record<string, unknown> = {}): Promise<any[]> {
  return (await c.ok('/api/v1/admin/meta/webhook-deliveries/list', { WebhookID: id, ...extra })).Deliveries;
}

/** Polls the delivery log until `pred` holds. */
async function waitForLog(c: CometClient, id: string, pred: (d: any[]) => boolean, what: string, ms = 30_000): Promise<any[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const d = await deliveries(c, id, { Limit: 1000 });
    if (pred(d)) return d;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(d.slice(0, 5))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let root: CometClient;
let privateBefore = false;
beforeAll(async () => {
  root = await rootClient();
  privateBefore = (await root.ok('/api/v1/admin/meta/webhook-settings/get')).AllowPrivateTargets === true;
});
// The setting is server-wide: later files must find it as this file found it.
afterAll(async () => {
  await root?.ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: privateBefore });
});

describe('webhook settings and the SSRF guard at set time', () => {
  it('refuses loopback, private, link-local and mapped addresses while private targets are not allowed', async () => {
    await root.ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: false });
    expect(await root.ok('/api/v1/admin/meta/webhook-settings/get')).toMatchObject({ AllowPrivateTargets: false });
    const refused = [
      'http://127.0.0.1:9/hook',
      'http://localhost:9/hook',
      'http://[::1]:9/hook',
      'http://[::ffff:127.0.0.1]:9/hook',
      'http://[::ffff:7f00:1]:9/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://0.0.0.0:9/hook',
    ];
    for (const URL of refused) {
      const r = await root.fails('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { w: { URL, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } } });
      expect(r.Status, URL).toBe(400);
      expect(r.Message, URL).toMatch(/URL refused: Refused webhook target .*(loopback|private|embeds)/);
    }
    expect((await root.fails('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { w: { URL: 'ftp://example.com/x' } } })).Message).toMatch(/http:\/\/ or https:\/\//);
    expect((await root.fails('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { w: { URL: 'http://u:p@127.0.0.1/x' } } })).Message).toMatch(/user name or password/);
    expect((await root.fails('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { w: { URL: 'http://127.0.0.1/x', Level: 'loud' } } })).Message).toMatch(/Level/);
    expect((await root.fails('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { w: { URL: 'http://127.0.0.1/x', CustomHeaders: { 'X-Halley-Signature': 'forged' } } } })).Message).toMatch(/set by Halley/);
    await root.ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: true });
    expect(await root.ok('/api/v1/admin/meta/webhook-settings/get')).toMatchObject({ AllowPrivateTargets: true });
  });

  it('saves a URL whose host does not resolve yet, flagged in the answer; its delivery log then says why it failed', async () => {
    const t = await makeTenant('wh-dns');
    await allowWebhookEdits(t);
    // .invalid never resolves (RFC 6761): no address is involved, public or private.
    const URL = `https://${uniq('hooks').toLowerCase().replace(/[^a-z0-9-]/g, '-')}.halley-test.invalid/in`;
    const r = await t.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { later: { URL, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } } });
    expect(r).toMatchObject({ Status: 200, Message: 'OK' });
    expect(r.Warnings).toEqual([expect.stringMatching(/\.URL: the host .* does not resolve yet/)]);
    expect((await t.admin.ok('/api/v1/admin/meta/webhook-options/get')).later.URL).toBe(URL);
    // Saving the same map again checks nothing (the URL is unchanged), so it is not flagged again.
    expect((await t.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { later: { URL, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } } })).Warnings).toBeUndefined();
    const log = await waitForLog(t.admin, 'later', (d) => d.some((x) => x.LastError), 'a failed attempt');
    expect(log.find((x) => x.LastError).LastError).toMatch(/ENOTFOUND|EAI_AGAIN|ENODATA|resolve/);
  });
});

describe('Organization.WebhookOptions', () => {
  it('organization/set saves a tenant\'s webhooks (hello included); without the field they are left alone', async () => {
    const rx = await receiver();
    const hooks = { billing: { URL: rx.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [4100] } };
    const created = await root.ok('/api/v1/admin/organization/set', { Organization: { Name: uniq('org-hooks'), Hosts: [], WebhookOptions: hooks } });
    expect(created.Organization.WebhookOptions).toEqual(hooks);
    await rx.waitFor((r) => r.ofType(4000).length === 1, 30_000, 'SEVT_META_HELLO');
    expect(rx.ofType(4000)[0].json.OwnerOrganizationID).toBe(created.ID);
    await root.ok('/api/v1/admin/organization/set', { OrganizationID: created.ID, Organization: { Name: uniq('renamed'), Hosts: [] } });
    expect((await root.ok('/api/v1/admin/organization/list'))[created.ID].WebhookOptions).toEqual(hooks);
    const u = await makeUser(root, { targetOrganization: created.ID });
    await rx.waitFor((r) => r.ofType(4100).some((x) => x.json.ResourceID === u.username), 30_000, 'the tenant\'s event');
    await root.ok('/api/v1/admin/organization/delete', { OrganizationID: created.ID });
  });
});

describe('webhook-options at server and tenant level', () => {
  let a: TenantFixture;
  let b: TenantFixture;
  let top: WebhookReceiver;
  let ra: WebhookReceiver;
  const topId = uniq('server-hook');

  beforeAll(async () => {
    a = await makeTenant('wh-a');
    b = await makeTenant('wh-b');
    top = await receiver();
    ra = await receiver();
  });

  afterAll(async () => {
    await root.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: {} });
  });

  it('needs AllowEditWebhooks for tenant admins', async () => {
    expect((await a.admin.fails('/api/v1/admin/meta/webhook-options/get')).Status).toBe(403);
    expect((await a.admin.fails('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: {} })).Status).toBe(403);
    await allowWebhookEdits(a);
    await allowWebhookEdits(b);
    expect(await a.admin.ok('/api/v1/admin/meta/webhook-options/get')).toEqual({});
  });

  it('round-trips the map, says hello with a valid signature, and keeps tenants apart', async () => {
    const options = {
      crm: { URL: ra.url, CustomHeaders: { Authorization: 'Bearer t0k3n', 'X-Tenant': 'a' }, Level: 'full', WhiteListedEventTypes: [4100, 4101, 4102], FutureField: 'kept' },
    };
    await a.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: options });
    // CustomHeaders values are returned masked (sealed at rest; see the CustomHeaders tests below).
    const shown = { crm: { ...options.crm, CustomHeaders: { Authorization: HEADER_MASK, 'X-Tenant': HEADER_MASK } } };
    expect(await a.admin.ok('/api/v1/admin/meta/webhook-options/get')).toEqual(shown);
    // Another tenant sees none of it; the organization list shows it as Organization.WebhookOptions.
    expect(await b.admin.ok('/api/v1/admin/meta/webhook-options/get')).toEqual({});
    expect((await b.admin.fails('/api/v1/admin/meta/webhook-options/get-secret', { WebhookID: 'crm' })).Message).toBe("Webhook 'crm' was not found");
    const orgs = await root.ok('/api/v1/admin/organization/list');
    expect(orgs[a.id].WebhookOptions).toEqual(shown);
    expect(orgs[b.id].WebhookOptions).toEqual({});
    // The secret is never in Comet's shapes.
    ra.secret = await secretOf(a.admin, 'crm');
    expect(ra.secret).toMatch(/^whsec_/);
    expect(JSON.stringify(orgs)).not.toContain(ra.secret);

    await ra.waitFor((r) => r.ofType(4000).length === 1, 30_000, 'SEVT_META_HELLO');
    const hello = ra.ofType(4000)[0];
    expect(hello.json).toMatchObject({ TypeString: 'SEVT_META_HELLO', OwnerOrganizationID: a.id });
    expect(hello.json.Data.Version).toBeTruthy();
    expect(hello.validSignature).toBe(true);
    expect(hello.headers.authorization).toBe('Bearer t0k3n');

    // Server-level webhook: receives every tenant's events.
    await root.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { [topId]: { URL: top.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } } });
    top.secret = await secretOf(root, topId);
    await top.waitFor((r) => r.ofType(4000).length === 1, 30_000, 'SEVT_META_HELLO (server)');

    const ub = await makeUser(b.admin);
    const ua = await makeUser(a.admin);
    await ra.waitFor((r) => r.ofType(4100).some((x) => x.json.ResourceID === ua.username), 30_000, 'SEVT_ACCOUNT_NEW');
    await top.waitFor((r) => r.ofType(4100).filter((x) => [ua.username, ub.username].includes(x.json.ResourceID)).length === 2, 30_000, 'both accounts');

    const got = ra.ofType(4100).find((x) => x.json.ResourceID === ua.username)!;
    expect(got.validSignature).toBe(true);
    expect(got.json).toMatchObject({ Type: 4100, TypeString: 'SEVT_ACCOUNT_NEW', OwnerOrganizationID: a.id, Actor: a.adminName });
    expect(got.eventId).toBe(String(got.json.EventID));
    expect(got.headers['x-comet-tracing-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.headers['x-halley-webhook-id']).toBe('crm');
    expect(got.headers['x-tenant']).toBe('a');
    // A signature made with another secret, or over another body, does not verify.
    expect(verifySignature('whsec_wrong', got.headers, got.body)).toBe(false);
    expect(verifySignature(ra.secret, got.headers, got.body.replace(ua.username, 'someone-else'))).toBe(false);
    // Tenant A's webhook never saw tenant B's user, and only whitelisted types.
    expect([...ra.unique.values()].every((x) => x.json.OwnerOrganizationID === a.id)).toBe(true);
    expect([...ra.unique.values()].every((x) => [4000, 4100, 4101, 4102].includes(x.json.Type))).toBe(true);
    expect(top.ofType(4100).every((x) => x.validSignature)).toBe(true);
  });

  it('logs deliveries, redelivers one, sends a test, and records failures until the receiver answers 2xx', async () => {
    const log = await waitForLog(a.admin, 'crm', (d) => d.some((x) => x.Type === 4100 && x.Status === 'delivered'), 'a delivered row');
    const row = log.find((x) => x.Type === 4100)!;
    expect(row).toMatchObject({ WebhookID: 'crm', Status: 'delivered', Attempts: 1, ResponseCode: 200, LastError: '', Kind: 'event', TypeString: 'SEVT_ACCOUNT_NEW' });
    expect(row.EventID).toBeGreaterThan(0);
    expect(row.DeliveredAt).toBeGreaterThan(0);
    // Another tenant can't see or redeliver it.
    expect((await b.admin.fails('/api/v1/admin/meta/webhook-deliveries/redeliver', { DeliveryID: row.DeliveryID })).Status).toBe(404);

    const before = ra.received.filter((x) => x.eventId === String(row.EventID)).length;
    await a.admin.ok('/api/v1/admin/meta/webhook-deliveries/redeliver', { DeliveryID: row.DeliveryID });
    await ra.waitFor((r) => r.received.filter((x) => x.eventId === String(row.EventID)).length === before + 1, 30_000, 'the redelivery');
    // The row is written once the receiver's answer is back, a moment after the receiver saw the request.
    const logged = await waitForLog(a.admin, 'crm', (d) => d.some((x) => x.DeliveryID === row.DeliveryID && x.Attempts === 2), 'the redelivery in the log');
    expect(logged.find((x) => x.DeliveryID === row.DeliveryID)).toMatchObject({ Status: 'delivered', Attempts: 2 });

    const test = await a.admin.ok('/api/v1/admin/meta/webhook-options/test', { WebhookID: 'crm' });
    await ra.waitFor((r) => r.received.some((x) => x.eventId === `test-${test.DeliveryID}`), 30_000, 'the test delivery');
    expect(ra.received.find((x) => x.eventId === `test-${test.DeliveryID}`)!.json.Type).toBe(4000);

    ra.respond = { status: 503 };
    const u = await makeUser(a.admin);
    const failing = await waitForLog(a.admin, 'crm', (d) => d.some((x) => x.ResourceID === u.username && x.Attempts >= 2), 'failed attempts');
    expect(failing.find((x) => x.ResourceID === u.username)).toMatchObject({ Status: 'pending', ResponseCode: 503, LastError: 'HTTP 503' });
    expect((await a.admin.fails('/api/v1/admin/meta/webhook-deliveries/redeliver', { DeliveryID: failing.find((x) => x.ResourceID === u.username).DeliveryID })).Status).toBe(409);
    ra.respond = null;
    const done = await waitForLog(a.admin, 'crm', (d) => d.some((x) => x.ResourceID === u.username && x.Status === 'delivered'), 'delivery after recovery');
    expect(done.find((x) => x.ResourceID === u.username)).toMatchObject({ ResponseCode: 200, LastError: '' });
    expect((await a.admin.ok('/api/v1/admin/meta/webhook-deliveries/list', { WebhookID: 'crm', Status: 'delivered', Limit: 1 })).NextBeforeID).toBeGreaterThan(0);
  });

  it('rotates the signing secret', async () => {
    const old = ra.secret!;
    const rotated = await a.admin.ok('/api/v1/admin/meta/webhook-options/rotate-secret', { WebhookID: 'crm' });
    expect(rotated.Secret).not.toBe(old);
    expect(await secretOf(a.admin, 'crm')).toBe(rotated.Secret);
    ra.secret = rotated.Secret;
    const u = await makeUser(a.admin);
    await ra.waitFor((r) => r.ofType(4100).some((x) => x.json.ResourceID === u.username), 30_000, 'a delivery signed with the new secret');
    expect(ra.ofType(4100).find((x) => x.json.ResourceID === u.username)!.validSignature).toBe(true);
  });

  it('does not follow a redirect, not even to a target it could reach', async () => {
    const target = await receiver();
    const redirecting = await receiver();
    redirecting.respond = { status: 307, headers: { location: target.url } };
    await a.admin.ok('/api/v1/admin/meta/webhook-options/set', {
      WebhookOptions: { ...(await a.admin.ok('/api/v1/admin/meta/webhook-options/get')), redirector: { URL: redirecting.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } },
    });
    const log = await waitForLog(a.admin, 'redirector', (d) => d.some((x) => x.Kind === 'hello' && x.Attempts >= 2), 'redirect attempts');
    expect(log.find((x) => x.Kind === 'hello')).toMatchObject({ Status: 'pending', ResponseCode: 307, LastError: expect.stringMatching(/redirect .* not followed/) });
    expect(redirecting.received.length).toBeGreaterThanOrEqual(2);
    expect(target.received).toHaveLength(0);
    await a.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { crm: (await a.admin.ok('/api/v1/admin/meta/webhook-options/get')).crm } });
  });

  it('receiver down for a while, then back: every event arrives, once, in order per resource', { timeout: 120_000 }, async () => {
    await ra.stop();
    const users = [await makeUser(a.admin), await makeUser(a.admin), await makeUser(a.admin)];
    for (let round = 0; round < 2; round++) {
      for (const u of users) await a.admin.ok('/api/v1/admin/reset-user-password', { TargetUser: u.username, NewPassword: `password-${round}-x` });
    }
    for (const u of users) await a.admin.ok('/api/v1/admin/delete-user', { TargetUser: u.username });
    // Attempts fail while it is down (connection refused), and later events of a user wait for earlier ones.
    await waitForLog(a.admin, 'crm', (d) => users.every((u) => d.some((x) => x.ResourceID === u.username && x.Attempts >= 3 && /ECONNREFUSED/.test(x.LastError))), 'failed attempts while down');
    const waiting = (await deliveries(a.admin, 'crm', { Status: 'pending', Limit: 1000 })).filter((x) => users.some((u) => u.username === x.ResourceID));
    expect(waiting.filter((x) => x.Attempts === 0).length).toBeGreaterThan(0);

    const rawBefore = ra.received.length;
    await ra.start();
    const expected = await sql<{ id: string; resourceId: string }>(
      `SELECT id::text, "resourceId" FROM "Event" WHERE "tenantId" = $1 AND "resourceId" = ANY($2) ORDER BY id`,
      [a.id, users.map((u) => u.username)],
    );
    expect(expected).toHaveLength(users.length * 4);
    await ra.waitFor((r) => expected.every((e) => r.unique.has(e.id)), 60_000, 'every event after the receiver came back');
    // Once each: no event reached the receiver twice.
    const after = ra.received.slice(rawBefore).filter((x) => expected.some((e) => e.id === x.eventId));
    expect(after).toHaveLength(expected.length);
    // In order per resource (event id order), as first received.
    for (const u of users) {
      const order = after.filter((x) => x.json.ResourceID === u.username).map((x) => Number(x.eventId));
      expect(order).toEqual([...order].sort((x, y) => x - y));
      expect(order.map((id) => after.find((x) => Number(x.eventId) === id)!.json.Type)).toEqual([4100, 4102, 4102, 4101]);
    }
    expect(after.every((x) => x.validSignature)).toBe(true);
  });
});

describe('CustomHeaders secrets', () => {
  const SECRET = `Bearer ${uniq('s3cr3t')}`;
  let t: TenantFixture;
  let rx: WebhookReceiver;
  const get = () => t.admin.ok('/api/v1/admin/meta/webhook-options/get');
  const set = (WebhookOptions: object) => t.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions });
  const stored = async () => (await sql<{ h: string }>(`SELECT "customHeaders"::text AS h FROM "Webhook" WHERE "tenantId" = $1 AND name = 'vault'`, [t.id]))[0]?.h ?? '';
  /** Creates a user and waits for its SEVT_ACCOUNT_NEW at the receiver: the headers of that delivery. */
  async function headersOfNextEvent() {
    const u = await makeUser(t.admin);
    await rx.waitFor((r) => r.ofType(4100).some((x) => x.json.ResourceID === u.username), 30_000, `SEVT_ACCOUNT_NEW of ${u.username}`);
    return rx.ofType(4100).find((x) => x.json.ResourceID === u.username)!.headers;
  }

  beforeAll(async () => {
    t = await makeTenant('wh-headers');
    await allowWebhookEdits(t);
    rx = await receiver();
  });

  it('are sealed at rest, masked in every answer and event, and sent in clear to the receiver', async () => {
    const option = { URL: rx.url, CustomHeaders: { Authorization: SECRET, 'X-Api-Key': 'key-1' }, Level: 'full', WhiteListedEventTypes: [4100] };
    await set({ vault: option });
    const masked = { vault: { ...option, CustomHeaders: { Authorization: HEADER_MASK, 'X-Api-Key': HEADER_MASK } } };
    expect(await get()).toEqual(masked);
    expect((await root.ok('/api/v1/admin/organization/list'))[t.id].WebhookOptions).toEqual(masked);
    const orgSet = await root.ok('/api/v1/admin/organization/set', { OrganizationID: t.id, Organization: { Name: t.name, Hosts: [], WebhookOptions: masked } });
    expect(orgSet.Organization.WebhookOptions).toEqual(masked);
    const row = await stored();
    expect(row).toContain('"sealed"');
    expect(row).not.toContain(SECRET);
    expect(row).not.toContain('key-1');
    expect(await sql(`SELECT 1 FROM "Event" WHERE data::text LIKE $1`, [`%${SECRET}%`])).toHaveLength(0);
    const h = await headersOfNextEvent();
    expect(h.authorization).toBe(SECRET);
    expect(h['x-api-key']).toBe('key-1');
  });

  it('on save, the mask keeps the stored value, a new value replaces it, a left-out header is removed', async () => {
    const current = await get();
    await set({ vault: { ...current.vault, CustomHeaders: { authorization: HEADER_MASK, 'X-New': 'new-1' } } });
    expect((await get()).vault.CustomHeaders).toEqual({ authorization: HEADER_MASK, 'X-New': HEADER_MASK });
    const h = await headersOfNextEvent();
    expect(h.authorization).toBe(SECRET);
    expect(h['x-new']).toBe('new-1');
    expect(h['x-api-key']).toBeUndefined();
    const refused = await t.admin.fails('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { vault: { ...current.vault, CustomHeaders: { 'X-Unknown': HEADER_MASK } } } });
    expect(refused).toMatchObject({ Status: 400, Message: expect.stringMatching(/CustomHeaders\['X-Unknown'\] is the mask of a stored value/) });
  });

  it('rows stored in clear before sealing keep working, are masked, and are sealed on the next save', async () => {
    await sql(`UPDATE "Webhook" SET "customHeaders" = $2::jsonb WHERE "tenantId" = $1 AND name = 'vault'`, [t.id, JSON.stringify({ Authorization: 'Bearer legacy-1' })]);
    expect((await get()).vault.CustomHeaders).toEqual({ Authorization: HEADER_MASK });
    expect((await headersOfNextEvent()).authorization).toBe('Bearer legacy-1');
    await set(await get());
    const row = await stored();
    expect(row).toContain('"sealed"');
    expect(row).not.toContain('legacy-1');
    expect((await headersOfNextEvent()).authorization).toBe('Bearer legacy-1');
  });
});
