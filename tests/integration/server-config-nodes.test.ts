// admin/meta/server-config (issue 17) across nodes: a second web node (this file's own process) shares the
// test server's PostgreSQL and Redis (and its workers). A change made through server-config/set on node A is
// in effect on node B within seconds, without a restart: login protection locks a sign-in out on B, a session
// started on B gets the new lifetime; an event is written. Also: the fields Halley now applies
// (SessionSettings, HalleyServerLogs) are validated, the kept fields' secrets are sealed and never answered,
// and admin/meta/software-update-news on node B (whose feed is this file's local server) answers 200 whatever
// the feed does: nothing listening, HTTP 500, garbage (the last news it read, or none).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsealJson } from '../../lib/secrets';
import { freePort, randomHex, repoRoot } from '../../scripts/lib/services.mjs';
import { CometClient } from '../helpers/comet-client';
import { makeTenant, ROOT, rootClient, type TenantFixture } from '../helpers/fixtures';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { allowPrivateTargets } from '../helpers/private-targets';
import { waitFor } from '../helpers/wait';

const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
const work = path.join(servicesDir, `server-config-nodes-${randomHex(4)}`);
const SEVT_SERVER_UPDATED = 4403;

let nodeB: HalleyProcess;
let rootA: CometClient;
let rootB: CometClient;
let before: Record<string, any>;
let restorePrivate: (() => Promise<void>) | undefined;
let feedPort: number;
let feed: http.Server | undefined;
/** What the local feed answers: a status and a body. */
let feedAnswer: { status: number; body: string } = { status: 200, body: '' };
let db: pg.Client;

async function startFeed(): Promise<void> {
  feed = http.createServer((req, res) => {
    res.writeHead(feedAnswer.status, { 'content-type': 'application/json' });
    res.end(feedAnswer.body);
  });
  await new Promise<void>((resolve) => feed!.listen(feedPort, '127.0.0.1', resolve));
  expect((feed.address() as AddressInfo).port).toBe(feedPort);
}

async function stopFeed(): Promise<void> {
  const f = feed;
  feed = undefined;
  if (f) await new Promise<void>((resolve) => { f.closeAllConnections(); f.close(() => resolve()); });
}

const setConfig = (c: CometClient, config: Record<string, unknown>) => c.call('/api/v1/admin/meta/server-config/set', { Config: config });

beforeAll(async () => {
  fs.mkdirSync(work, { recursive: true });
  rootA = await rootClient();
  before = await rootA.ok('/api/v1/admin/meta/server-config/get');
  feedPort = await freePort(); // nothing listens there until the test starts the feed
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  nodeB = await startHalley({
    name: 'config-node-b',
    logDir: work,
    env: { HALLEY_UPDATE_FEED_URL: `http://127.0.0.1:${feedPort}/feed.json`, HALLEY_UPDATE_FEED_CACHE_SECONDS: '0' },
  });
  rootB = new CometClient(nodeB.url, ROOT);
}, 180_000);

afterAll(async () => {
  // Server-wide settings are shared by every test file: put back what this file found.
  if (before) {
    const restored = await rootA.call('/api/v1/admin/meta/server-config/set', {
      Config: { ...before, ListenAddresses: before.ListenAddresses ?? [], AdminUsers: before.AdminUsers ?? [], License: before.License },
    });
    expect(restored.body?.Status).toBe(200);
  }
  await restorePrivate?.();
  await stopFeed();
  await nodeB?.stop();
  await db?.end();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('a change made on node A is in effect on node B without a restart', () => {
  let tenant: TenantFixture;

  it('login protection: after server-config/set on A, two wrong passwords lock the admin out on B', async () => {
    tenant = await makeTenant('config-nodes');
    const username = tenant.admin.creds!.username;
    const password = tenant.admin.creds!.password!;
    const onB = (pw: string) => new CometClient(nodeB.url, { username, password: pw }).call('/api/v1/admin/account/properties');
    const since = (await db.query<{ max: string | null }>('SELECT max(id)::text AS max FROM "Event"')).rows[0]!.max ?? '0';

    const current = await rootA.ok('/api/v1/admin/meta/server-config/get');
    expect((await setConfig(rootA, { ...current, LoginProtection: { Enabled: true, FailureThreshold: 2, CooldownSeconds: 120 } })).body.Status).toBe(200);

    // Until B applies it (its settings cache), two failures do not lock and the right password clears them.
    const locked = await waitFor('node B locks the admin out after two failures', async () => {
      expect((await onB('wrong-password-1')).body.Status).toBeGreaterThanOrEqual(400);
      expect((await onB('wrong-password-2')).body.Status).toBeGreaterThanOrEqual(400);
      const right = await onB(password);
      return right.body.Status >= 400 ? right.body.Message : false;
    }, 30_000, 250);
    expect(locked).toMatch(/Too many failed sign-in attempts/);
    // The same answer on A: one lockout for the cluster.
    expect((await new CometClient(rootA.baseUrl, { username, password }).call('/api/v1/admin/account/properties')).body.Message).toMatch(/Too many failed/);
    // B answers the same configuration.
    expect((await rootB.ok('/api/v1/admin/meta/server-config/get')).LoginProtection).toEqual({ Enabled: true, FailureThreshold: 2, CooldownSeconds: 120 });

    const events = await db.query<{ data: any }>(`SELECT data FROM "Event" WHERE type = $1 AND id > $2::bigint AND data ? 'ServerConfig' ORDER BY id`, [SEVT_SERVER_UPDATED, since]);
    expect(events.rows.map((r) => r.data.ServerConfig.Applied)).toContainEqual(['LoginProtection']);
  });

  it('session lifetime: a session started on B after the change on A lives SessionSettings.ExpiredInSeconds', async () => {
    const current = await rootA.ok('/api/v1/admin/meta/server-config/get');
    expect((await setConfig(rootA, { ...current, SessionSettings: { ExpiredInSeconds: 7200 } })).body.Status).toBe(200);
    expect((await rootA.ok('/api/v1/admin/meta/server-config/get')).SessionSettings).toEqual({ ExpiredInSeconds: 7200 });
    const lifetime = await waitFor('a session started on node B lives two hours', async () => {
      const started = Date.now();
      await rootB.ok('/api/v1/admin/account/session-start');
      const row = (await db.query<{ expires: Date }>(`SELECT s."expiresAt" AS expires FROM "Session" s JOIN "AdminUser" a ON a.id = s."adminId" WHERE a.username = $1 ORDER BY s."createdAt" DESC LIMIT 1`, [ROOT.username])).rows[0]!;
      const seconds = (row.expires.getTime() - started) / 1000;
      return seconds > 7000 ? seconds : false;
    }, 30_000, 250);
    expect(lifetime).toBeLessThan(7300);
  });
});

describe('server-config/set: the fields Halley applies and the fields it keeps', () => {
  it('refuses out-of-range values naming the field, and changes nothing', async () => {
    const current = await rootA.ok('/api/v1/admin/meta/server-config/get');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ SessionSettings: { ExpiredInSeconds: 5 } }, /SessionSettings\.ExpiredInSeconds must be 0/],
      [{ SessionSettings: { ExpiredInSeconds: '1h' } }, /SessionSettings\.ExpiredInSeconds/],
      [{ HalleyServerLogs: { RetentionDays: 0 } }, /HalleyServerLogs\.RetentionDays must be a whole number from 1 to 3650/],
      [{ HalleyServerLogs: { RetentionDays: 2.5 } }, /HalleyServerLogs\.RetentionDays/],
      [{ License: { Email: 'not an address', SerialNumber: '' } }, /License\.Email 'not an address' is not an email address/],
    ];
    for (const [change, message] of cases) {
      const r = await setConfig(rootA, { ...current, ExperimentalOptions: ['must-not-be-kept'], ...change });
      expect(r.body.Status, JSON.stringify(change)).toBe(400);
      expect(r.body.Message).toMatch(message);
    }
    expect(await rootA.ok('/api/v1/admin/meta/server-config/get')).toEqual(current);
  });

  it('writes all parts or none: a part refused after others were checked (or while written) leaves every part as it was', async () => {
    const current = await rootA.ok('/api/v1/admin/meta/server-config/get');
    const earlier = {
      Branding: { ...current.Branding, ProductName: 'Half-written Backup' },
      LoginProtection: { Enabled: true, FailureThreshold: 7, CooldownSeconds: 77 },
      SoftwareBuildRole: { ...current.SoftwareBuildRole, MaxBuilders: 3 },
      SessionSettings: { ...current.SessionSettings, ExpiredInSeconds: 4000 },
    };
    const cases: [Record<string, unknown>, RegExp][] = [
      // refused by a check that runs before anything is written
      [{ Email: { ...current.Email, Mode: 'smtp', SMTPHost: '' } }, /SMTPHost/],
      // refused while the branding is written (the resource is checked inside the transaction)
      [{ Branding: { ...earlier.Branding, LogoImage: `resource://${'ab'.repeat(32)}` } }, /abab/],
    ];
    for (const [change, message] of cases) {
      const r = await setConfig(rootA, { ...current, ...earlier, ...change });
      expect(r.body.Status, JSON.stringify(change)).toBe(400);
      expect(r.body.Message).toMatch(message);
      expect(await rootA.ok('/api/v1/admin/meta/server-config/get')).toEqual(current);
    }
  });

  it('answers refusals in the caller language', async () => {
    const current = await rootA.ok('/api/v1/admin/meta/server-config/get');
    const res = await fetch(`${rootA.baseUrl}/api/v1/admin/meta/server-config/set`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de-DE' },
      body: new URLSearchParams({ Username: ROOT.username, AuthType: 'Password', Password: ROOT.password, Config: JSON.stringify({ ...current, HalleyServerLogs: { RetentionDays: 0 } }) }).toString(),
    });
    expect((await res.json()).Message).toBe('HalleyServerLogs.RetentionDays muss eine ganze Zahl von 1 bis 3650 sein');
  });

  it('is for top-level admins with server settings only', async () => {
    const t = await makeTenant('config-tenant');
    expect((await t.admin.fails('/api/v1/admin/meta/server-config/get')).Status).toBe(403);
    expect((await t.admin.fails('/api/v1/admin/meta/server-config/set', { Config: { HalleyServerLogs: { RetentionDays: 1 } } })).Status).toBe(403);
  });

  it('keeps unknown fields, seals their secrets, never answers them, and keeps a secret sent back as ""', async () => {
    const current = await rootA.ok('/api/v1/admin/meta/server-config/get');
    const listen = [{ ListenAddress: '127.0.0.1:9443', SSLCertPath: '/etc/halley/cert.pem', SSLIntermediate: '', SSLCertKey: '/etc/halley/key.pem', AutoSSLDomains: '', SSLPfxPath: '', SSLPfxPassword: 'pfx-secret-1' }];
    const admins = [{ Username: 'legacy', Password: 'legacy-hash-secret', TOTPKey: 'TOTPSECRET', PasswordFormat: 1, Permissions: { PreventChangePassword: true } }];
    const sent = { ...current, ListenAddresses: listen, AdminUsers: admins, License: { Email: 'ops@example.test', SerialNumber: 'SN-42' }, ExperimentalOptions: ['x-one'], FutureField: { Kept: 'yes' } };
    expect((await setConfig(rootA, sent)).body.Status).toBe(200);

    const got = await rootB.ok('/api/v1/admin/meta/server-config/get');
    // Empty omitempty fields are left out, as Comet does; the secret is blank or absent, never the value.
    expect(got.ListenAddresses[0]).toMatchObject({ ListenAddress: '127.0.0.1:9443', SSLCertPath: '/etc/halley/cert.pem', SSLCertKey: '/etc/halley/key.pem' });
    expect(got.ListenAddresses[0].SSLPfxPassword ?? '').toBe('');
    expect(got.AdminUsers[0]).toMatchObject({ Username: 'legacy', Password: '', PasswordFormat: 1 });
    expect(got.AdminUsers[0].TOTPKey ?? '').toBe('');
    expect(got.License).toEqual({ Email: 'ops@example.test', SerialNumber: 'SN-42' });
    expect(got.ExperimentalOptions).toEqual(['x-one']);
    expect(got.FutureField).toEqual({ Kept: 'yes' });
    const stored = async () => (await db.query<{ value: any }>(`SELECT value FROM "ServerSetting" WHERE key = 'server-config-round-trip'`)).rows[0]!.value;
    const first = await stored();
    expect(JSON.stringify(first)).not.toMatch(/pfx-secret-1|legacy-hash-secret|TOTPSECRET/);
    expect(unsealJson(first.sealed)).toEqual({ ListenAddresses: { 0: { SSLPfxPassword: 'pfx-secret-1' } }, AdminUsers: { 0: { Password: 'legacy-hash-secret', TOTPKey: 'TOTPSECRET' } } });

    // The document as get answered it (secrets "") with one edit: the stored secrets stay.
    expect((await setConfig(rootB, { ...got, ExperimentalOptions: ['x-two'] })).body.Status).toBe(200);
    expect(unsealJson((await stored()).sealed)).toEqual(unsealJson(first.sealed));
    // A new value replaces one; an entry removed takes its secrets with it.
    expect((await setConfig(rootA, { ...got, ListenAddresses: [{ ...got.ListenAddresses[0], SSLPfxPassword: 'pfx-secret-2' }], AdminUsers: [] })).body.Status).toBe(200);
    expect(unsealJson((await stored()).sealed)).toEqual({ ListenAddresses: { 0: { SSLPfxPassword: 'pfx-secret-2' } } });
  });
});

describe('admin/meta/software-update-news never fails when the feed does', () => {
  const NEWS = { latest_stable: '99.1.0', latest_prerelease: '99.2.0-rc1', downloads_url: 'https://releases.example.test/halley', updates_info: ['Faster restores'] };
  const news = () => rootB.ok('/api/v1/admin/meta/software-update-news');

  beforeAll(async () => {
    restorePrivate = await allowPrivateTargets(true); // the feed listens on 127.0.0.1
  });

  it('answers this version and no news while nothing listens, then the feed, then the last news on HTTP 500 and on garbage', async () => {
    // Halley's own version (meta/version's Version is the Comet version Halley speaks).
    const version = String((await rootB.ok('/api/v1/admin/meta/version')).VersionCodename).replace(/^Halley /, '');
    const r = await rootB.call('/api/v1/admin/meta/software-update-news');
    expect(r.http).toBe(200);
    expect(r.body).toEqual({ latest_stable: version, latest_prerelease: '', downloads_url: '', updates_info: [] });

    // Garbage before any good answer: still none.
    await startFeed();
    feedAnswer = { status: 200, body: '<html>not json' };
    expect(await news()).toEqual({ latest_stable: version, latest_prerelease: '', downloads_url: '', updates_info: [] });

    feedAnswer = { status: 200, body: JSON.stringify(NEWS) };
    await waitFor('node B reads the feed', async () => JSON.stringify(await news()) === JSON.stringify(NEWS), 20_000, 200);

    for (const answer of [{ status: 500, body: 'internal error' }, { status: 200, body: '{"latest_stable": ' }, { status: 200, body: 'null' }]) {
      feedAnswer = answer;
      const bad = await rootB.call('/api/v1/admin/meta/software-update-news');
      expect(bad.http).toBe(200);
      expect(bad.body, answer.body).toEqual(NEWS);
    }
    // The feed gone (connection refused): the last news still.
    await stopFeed();
    expect(await news()).toEqual(NEWS);
  });
});
