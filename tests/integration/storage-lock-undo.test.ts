// Two promises of issue 14, asserted on the wire and in the database:
// 1. Object lock passes through an "s3" Storage Template: with ObjectLockMode ON (what the console sets)
//    or the deprecated UseObjectLock with mode LEGACY, the bucket made for a vault is created with object
//    lock (the CreateBucket request carries x-amz-bucket-object-lock-enabled, seen by a recording proxy in
//    front of s3rver, which itself ignores object lock); mode OFF creates none; the vault carries the
//    template's S3ObjectLockMode / S3ObjectLockDays, with a MasterBucket too.
// 2. A bulk replace whose profile write fails for one user (a PostgreSQL trigger refuses that account's
//    update, so its transaction rolls back) answers with an error, keeps the changes made before it in the
//    operation, and its undo restores every profile it changed: all users' vaults from the "comet" and "s3"
//    templates are then exactly as before (addresses, buckets, stored keys), none half-written.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsealJson } from '../../lib/secrets';
import { makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { tempDir } from '../helpers/live';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

let t: TenantFixture;
let restorePrivate: () => Promise<void>;
let s3: S3rver;
let proxy: http.Server;
let proxyUrl: string;
/** Requests that passed through the proxy to s3rver. */
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }> = [];

beforeAll(async () => {
  const root = await rootClient();
  t = await makeTenant('lock-undo');
  restorePrivate = await allowPrivateTargets(true);
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: t.adminName, Permissions: { AllowEditRemoteStorage: true } });
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver-lock'), configureBuckets: [{ name: 'lock-master', configs: [] }] });
  const s3Port = ((await s3.run()) as AddressInfo).port;
  // A transparent proxy (headers unchanged, so the SigV4 signature still verifies) that records each request.
  proxy = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const up = http.request({ host: '127.0.0.1', port: s3Port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await restorePrivate?.();
  await new Promise((resolve) => proxy?.close(resolve));
  await s3?.close();
});

const s3Template = (id: string, extra: Record<string, unknown>) => ({
  ID: id,
  Type: 's3',
  Description: `S3 ${id}`,
  S3: { S3Endpoint: proxyUrl, Region: 'us-east-1', AccessKey: 'S3RVER', SecretKey: 'S3RVER', Prefix: id, ...extra },
});

describe('object lock passes through an s3 template', () => {
  it('creates the bucket with object lock for mode ON and legacy UseObjectLock, not for OFF; the vault carries the settings', async () => {
    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', {
      RemoteStorageOptions: [
        s3Template('lockon', { ObjectLockMode: 1, ObjectLockDays: 30 }),
        s3Template('locklegacy', { ObjectLockMode: 0, UseObjectLock: true, ObjectLockDays: 7 }),
        s3Template('lockoff', { ObjectLockMode: 2, UseObjectLock: true }),
        s3Template('lockmaster', { ObjectLockMode: 1, ObjectLockDays: 14, MasterBucket: 'lock-master' }),
      ],
    });
    const user = uniq('lock-user');
    await t.admin.ok('/api/v1/admin/add-user', { TargetUser: user, TargetPassword: 'Lock-Horse-42' });
    const made: Record<string, any> = {};
    for (const id of ['lockon', 'locklegacy', 'lockoff', 'lockmaster']) {
      const r = await t.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: user, StorageProvider: id });
      made[id] = r.Profile.Destinations[r.DestinationID];
    }
    const created = (bucket: string) => seen.find((r) => r.method === 'PUT' && r.url.replace(/\?.*$/, '').replace(/\/$/, '') === `/${bucket}`);
    for (const [id, lock] of [['lockon', true], ['locklegacy', true], ['lockoff', false]] as const) {
      const bucket = made[id].S3BucketName as string;
      expect(bucket.startsWith(`${id}-`), bucket).toBe(true);
      const req = created(bucket);
      expect(req, `CreateBucket ${bucket} in ${JSON.stringify(seen.map((r) => `${r.method} ${r.url}`))}`).toBeTruthy();
      expect(req!.headers['x-amz-bucket-object-lock-enabled'], id).toBe(lock ? 'true' : undefined);
    }
    expect(made.lockon).toMatchObject({ DestinationType: 1000, S3ObjectLockMode: 1, S3ObjectLockDays: 30 });
    expect(made.locklegacy).toMatchObject({ S3ObjectLockMode: 0, S3ObjectLockDays: 7 });
    expect(made.lockoff).toMatchObject({ S3ObjectLockMode: 2 });
    // A prefix of a master bucket: no bucket is created; the vault still carries the lock settings.
    expect(made.lockmaster).toMatchObject({ S3BucketName: 'lock-master', S3ObjectLockMode: 1, S3ObjectLockDays: 14 });
    expect(made.lockmaster.S3Subdir).toMatch(/^lockmaster\//);
    expect(created('lock-master')).toBeUndefined();
    // The stored profile (what the devices get) says the same.
    const { Profile } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user });
    expect(Object.values<any>(Profile.Destinations).map((v) => [v.Description, v.S3ObjectLockMode, v.S3ObjectLockDays]).sort()).toEqual(
      [
        ['S3 lockon', 1, 30],
        ['S3 locklegacy', 0, 7],
        ['S3 lockoff', 2, 0],
        ['S3 lockmaster', 1, 14],
      ].sort(),
    );
  });
});

describe('undo of a bulk replace after a failed profile write', () => {
  const FAIL_FN = `halley_test_refuse_${Math.random().toString(36).slice(2, 10)}`;
  afterAll(async () => {
    await sql(`DROP TRIGGER IF EXISTS ${FAIL_FN} ON "Account"`);
    await sql(`DROP FUNCTION IF EXISTS ${FAIL_FN}()`);
  });

  it('restores every profile the replace changed before the failure; comet and s3 vaults are exactly as before', async () => {
    await t.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [{ ID: 'role', Type: 'comet', Description: 'Halley role' }, s3Template('undo', {})] });
    // Three users in username order (the replace writes them in that order); the middle one's write fails.
    const stem = uniq('undo');
    const users = ['a', 'm', 'z'].map((x) => `${stem}-${x}`);
    for (const u of users) {
      await t.admin.ok('/api/v1/admin/add-user', { TargetUser: u, TargetPassword: 'Undo-Horse-42' });
      await t.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: u, StorageProvider: 'role' });
      await t.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: u, StorageProvider: 'role' });
      await t.admin.ok('/api/v1/admin/request-storage-vault', { TargetUser: u, StorageProvider: 'undo' });
    }
    const snapshot = async () =>
      Object.fromEntries(
        await Promise.all(
          users.map(async (u) => {
            const { Profile } = await t.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: u });
            const sealed = (await t.admin.ok('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: u })).Destinations;
            const vaults = Object.fromEntries(Object.entries<any>(Profile.Destinations).map(([id, { ModifyTime: _m, ...v }]) => [id, v]));
            return [u, { vaults, sealed }];
          }),
        ),
      );
    const before = await snapshot();
    const address = (s: any, u: string) => Object.values<any>(s[u].vaults).filter((v) => v.DestinationType === 1003).map((v) => v.CometServer);
    for (const u of users) {
      expect(address(before, u)).toEqual([halleyUrl(), halleyUrl()]);
      expect(Object.values(before[u].sealed).flat().sort()).toEqual(['CometBucketKey', 'CometBucketKey', 'S3SecretKey']);
    }
    // The stored keys themselves (unsealed here: every profile write seals them again), to see they survive.
    const keysOf = async (u: string) =>
      (await sql('SELECT v."vaultId", v.secrets FROM "StorageVault" v JOIN "Account" a ON a.id = v."accountId" WHERE a.username = $1 ORDER BY v."vaultId"', [u])).map((r) => [r.vaultId, unsealJson(r.secrets)]);
    const keysBefore = await Promise.all(users.map(keysOf));
    expect(keysBefore.flat().every(([, k]) => k && Object.keys(k).length === 1)).toBe(true);

    const [{ id: victim }] = await sql('SELECT id FROM "Account" WHERE username = $1', [users[1]]);
    await sql(`CREATE FUNCTION ${FAIL_FN}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
    await sql(`CREATE TRIGGER ${FAIL_FN} BEFORE UPDATE ON "Account" FOR EACH ROW WHEN (OLD.id = '${victim}') EXECUTE FUNCTION ${FAIL_FN}()`);

    const renamed = `http://localhost:${new URL(halleyUrl()).port}/`;
    const failed = await t.admin.call('/api/v1/admin/bulk-replace-addresses/replace', { Find: halleyUrl(), Replace: renamed });
    expect(failed.body?.Status, failed.text).toBeGreaterThanOrEqual(400);
    const during = await snapshot();
    expect(address(during, users[0])).toEqual([renamed, renamed]); // written before the failure
    expect(address(during, users[1])).toEqual([halleyUrl(), halleyUrl()]); // its write rolled back whole
    expect(address(during, users[2])).toEqual([halleyUrl(), halleyUrl()]); // never reached
    const [operation] = (await t.admin.ok('/api/v1/admin/bulk-replace-addresses/list')).filter((o: any) => o.Replace === renamed);
    expect(operation).toMatchObject({ Status: 'done', Changed: 2 });

    await sql(`DROP TRIGGER ${FAIL_FN} ON "Account"`);
    expect(await t.admin.ok('/api/v1/admin/bulk-replace-addresses/undo', { OperationID: operation.OperationID })).toEqual({ Restored: 2, Skipped: 0 });
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(await Promise.all(users.map(keysOf))).toEqual(keysBefore);
  });
});
