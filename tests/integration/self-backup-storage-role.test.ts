// Self-backup to a Storage Role bucket (DESTINATIONTYPE_COMET, issue 17): a bucket registered on the suite's
// own server, written through its object API (/storage/v1) by the suite's workers. Checks validation (a
// tenant admin included), the archive published whole under its final key (an AES-256 zip 7-Zip opens),
// the bucket key hidden by server-config/get and kept when saved back, retention through list/remove, and a
// wrong bucket key failing the run readably with nothing published.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, rootClient } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const run = promisify(execFile);
const PASSWORD = 'storage role archive pass phrase';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-sb-role-'));

let root: CometClient;
let restorePrivate: () => Promise<void>;
let configBefore: any;
let bucket = '';
let bucketKey = '';

function target(index: number, location: Record<string, unknown> = {}) {
  return {
    Index: index,
    Schedule: [],
    ScheduleTimezone: 'UTC',
    RetentionPolicy: { Mode: 802, Ranges: [{ Type: 900, Jobs: 1 }] },
    Location: { DestinationType: 1003, CometServer: halleyUrl('/'), CometBucket: bucket, CometBucketKey: bucketKey, ...location },
    EncryptionKey: PASSWORD,
    EncryptionKeyFormat: 0,
    Compression: 1,
    ExcludeJobsDB: true,
    IncludeServerLogs: false,
    RestrictToSingleOrgID: '',
  };
}

async function setTargets(targets: unknown[]) {
  const config = await root.ok('/api/v1/admin/meta/server-config/get');
  await root.ok('/api/v1/admin/meta/server-config/set', { Config: { ...config, SelfBackup: { ...config.SelfBackup, Targets: targets } } });
}

async function runNow(index: number): Promise<any> {
  const started = await root.ok('/api/v1/admin/self-backup/start', { TargetIndex: index });
  return waitFor(`self-backup run of target ${index}`, async () => {
    const runs = (await root.ok('/api/v1/admin/self-backup/runs', { Limit: 20, TargetIndex: index })).Runs as any[];
    const r = runs.find((x) => x.ID === started.RunIDs[0]);
    return r && (r.Status === 'success' || r.Status === 'failed') ? r : null;
  }, 120_000, 250);
}

/** The bucket's objects, through the object API with the bucket key. */
async function objects(): Promise<Array<{ Key: string; Size: number }>> {
  const res = await fetch(halleyUrl(`/storage/v1/${bucket}?limit=1000`), { headers: { authorization: `Bearer ${bucketKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()).Objects;
}

beforeAll(async () => {
  root = await rootClient();
  configBefore = await root.ok('/api/v1/admin/meta/server-config/get');
  restorePrivate = await allowPrivateTargets(true);
  const made = await root.ok('/api/v1/admin/storage/register-bucket');
  bucket = made.NewBucketID;
  bucketKey = made.NewBucketKey;
}, 60_000);

afterAll(async () => {
  if (configBefore) await root.ok('/api/v1/admin/meta/server-config/set', { Config: configBefore }).catch(() => undefined);
  await restorePrivate?.();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('self-backup to a Storage Role bucket', () => {
  it('validates Storage Role locations, and only the top level may configure them', async () => {
    for (const [location, message] of [
      [{ CometServer: '' }, /CometServer/],
      [{ CometServer: 'ftp://127.0.0.1:21' }, /CometServer/],
      [{ CometBucket: '../etc' }, /CometBucket/],
      [{ CometBucketKey: '' }, /CometBucketKey/],
    ] as const) {
      const config = await root.ok('/api/v1/admin/meta/server-config/get');
      const r = await root.fails('/api/v1/admin/meta/server-config/set', { Config: { ...config, SelfBackup: { Targets: [target(0, location)] } } });
      expect(r.Status, JSON.stringify(location)).toBe(400);
      expect(r.Message).toMatch(message);
    }
    const t = await makeTenant('sb-role');
    expect((await t.admin.fails('/api/v1/admin/meta/server-config/set', { Config: { SelfBackup: { Targets: [target(0)] } } })).Status).toBe(403);
  });

  it('publishes whole archives into the bucket, hides the bucket key and keeps the newest by retention', async () => {
    await setTargets([target(0)]);
    const shown = (await root.ok('/api/v1/admin/meta/server-config/get')).SelfBackup.Targets[0];
    expect(shown.Location.CometBucketKey).toBe('');
    expect(shown.EncryptionKey).toBe('');
    await setTargets([shown]); // saving what get answered keeps the stored secrets

    const first = await runNow(0);
    expect([first.Status, first.Error]).toEqual(['success', '']);
    expect((await objects()).map((o) => o.Key)).toEqual([first.FileName]);
    const second = await runNow(0);
    expect([second.Status, second.Error]).toEqual(['success', '']);
    const left = await objects();
    expect(left.map((o) => o.Key)).toEqual([second.FileName]);
    expect(left[0]!.Size).toBe(second.Size);

    const res = await fetch(halleyUrl(`/storage/v1/${bucket}/${second.FileName}`), { headers: { authorization: `Bearer ${bucketKey}` } });
    const archive = path.join(work, second.FileName);
    fs.writeFileSync(archive, Buffer.from(await res.arrayBuffer()));
    expect(fs.statSync(archive).size).toBe(second.Size);
    const listing = (await run('7z', ['l', '-slt', `-p${PASSWORD}`, archive])).stdout;
    expect(listing).toMatch(/Method = AES-256/);
    expect(listing).toMatch(/Path = manifest\.json/);
  }, 300_000);

  it('a wrong bucket key fails the run with a readable error and publishes nothing', async () => {
    const before = await objects();
    await setTargets([target(0, { CometBucketKey: 'not-the-key' })]);
    const failed = await runNow(0);
    expect(failed.Status).toBe('failed');
    expect(failed.Error).toMatch(/location cannot be written.*wrong bucket key/i);
    expect(failed.Error).not.toContain('not-the-key');
    expect(await objects()).toEqual(before);
  }, 180_000);
});
