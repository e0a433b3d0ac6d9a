// Self-backup to an S3-compatible bucket (issue 17): s3rver on 127.0.0.1 as the bucket, the shared test
// server's workers as the writer. Checks validation (incl. a tenant admin), the multipart upload published
// only whole, retention through list/remove, the cleanup of a killed run's upload, a failing target, and a
// restore (`scripts/restore.ts`) of the archive downloaded from the bucket into a fresh database.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateMultipartUploadCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { repoRoot } from '../../scripts/lib/services.mjs';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, rootClient } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { waitFor } from '../helpers/wait';

const run = promisify(execFile);
const PASSWORD = 's3 archive pass phrase';
const BUCKET = 'self-backups';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-sb-s3-'));

let s3: S3rver;
let endpoint = '';
let direct: S3Client;
let root: CometClient;
let restorePrivate: () => Promise<void>;
let configBefore: any;

async function keys(prefix = ''): Promise<string[]> {
  const r = await direct.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (r.Contents ?? []).map((o) => o.Key!).sort();
}

function target(index: number, location: Record<string, unknown>, over: Record<string, unknown> = {}) {
  return {
    Index: index,
    Schedule: [],
    ScheduleTimezone: 'UTC',
    RetentionPolicy: { Mode: 802, Ranges: [{ Type: 900, Jobs: 1 }] },
    Location: { DestinationType: 1000, S3Server: endpoint, S3UsesTLS: false, S3AccessKey: 'S3RVER', S3SecretKey: 'S3RVER', S3BucketName: BUCKET, S3Subdir: 'halley/nightly', ...location },
    EncryptionKey: PASSWORD,
    EncryptionKeyFormat: 0,
    Compression: 1,
    ExcludeJobsDB: true,
    IncludeServerLogs: false,
    RestrictToSingleOrgID: '',
    ...over,
  };
}

async function setTargets(targets: unknown[]) {
  const config = await root.ok('/api/v1/admin/meta/server-config/get');
  await root.ok('/api/v1/admin/meta/server-config/set', { Config: { ...config, SelfBackup: { ...config.SelfBackup, Targets: targets } } });
}

async function runNow(index: number): Promise<any> {
  const started = await root.ok('/api/v1/admin/self-backup/start', { TargetIndex: index });
  expect(started.RunIDs).toHaveLength(1);
  return waitFor(`self-backup run of target ${index}`, async () => {
    const runs = (await root.ok('/api/v1/admin/self-backup/runs', { Limit: 20, TargetIndex: index })).Runs as any[];
    const r = runs.find((x) => x.ID === started.RunIDs[0]);
    return r && (r.Status === 'success' || r.Status === 'failed') ? r : null;
  }, 120_000, 250);
}

beforeAll(async () => {
  root = await rootClient();
  configBefore = await root.ok('/api/v1/admin/meta/server-config/get');
  restorePrivate = await allowPrivateTargets(true);
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(work, 's3rver'), configureBuckets: [{ name: BUCKET, configs: [] }] });
  const addr = await s3.run();
  endpoint = `127.0.0.1:${addr.port}`;
  direct = new S3Client({ endpoint: `http://${endpoint}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
}, 60_000);

afterAll(async () => {
  if (configBefore) await root.ok('/api/v1/admin/meta/server-config/set', { Config: configBefore }).catch(() => undefined);
  await restorePrivate?.();
  direct?.destroy();
  await s3?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('self-backup to an S3-compatible bucket', () => {
  it('validates S3 locations, and only the top level may configure them', async () => {
    for (const [location, message] of [
      [{ S3BucketName: 'Not_A_Bucket' }, /S3BucketName/],
      [{ S3Server: '' }, /S3Server/],
      [{ S3Server: 'ftp://127.0.0.1:21' }, /S3Server/],
      [{ S3AccessKey: '' }, /S3AccessKey/],
    ] as const) {
      const config = await root.ok('/api/v1/admin/meta/server-config/get');
      const r = await root.fails('/api/v1/admin/meta/server-config/set', { Config: { ...config, SelfBackup: { Targets: [target(0, location)] } } });
      expect(r.Status, JSON.stringify(location)).toBe(400);
      expect(r.Message).toMatch(message);
    }
    const t = await makeTenant('sb-s3');
    expect((await t.admin.fails('/api/v1/admin/meta/server-config/set', { Config: { SelfBackup: { Targets: [target(0, {})] } } })).Status).toBe(403);
    expect((await t.admin.fails('/api/v1/admin/self-backup/start')).Status).toBe(403);
  });

  it('uploads whole archives, hides the secret key, keeps the newest by retention and clears a killed run', async () => {
    // What a worker killed mid-upload leaves: an unfinished multipart upload and its marker.
    const killedKey = 'halley/nightly/halley-self-backup-t0-20000101-000000.zip';
    const killed = await direct.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: killedKey }));
    await direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: `halley/nightly/.partial-${randomUUID()}.json`, Body: JSON.stringify({ key: killedKey, uploadId: killed.UploadId }) }));

    await setTargets([target(0, {})]);
    const shown = (await root.ok('/api/v1/admin/meta/server-config/get')).SelfBackup.Targets[0];
    expect(shown.Location.S3SecretKey).toBe('');
    expect(shown.EncryptionKey).toBe('');
    // Saving what get answered keeps the stored secrets.
    await setTargets([shown]);

    const first = await runNow(0);
    expect([first.Status, first.Error]).toEqual(['success', '']);
    expect(await keys('halley/nightly/')).toEqual([`halley/nightly/${first.FileName}`]);
    const second = await runNow(0);
    expect([second.Status, second.Error]).toEqual(['success', '']);
    // Retention (most recent 1) removed the first archive; no marker and no killed upload is left.
    expect(await keys()).toEqual([`halley/nightly/${second.FileName}`]);
    const obj = await direct.send(new GetObjectCommand({ Bucket: BUCKET, Key: `halley/nightly/${second.FileName}` }));
    const bytes: Uint8Array = await (obj.Body as any).transformToByteArray();
    expect(second.Size).toBe(bytes.length);
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('PK\x03\x04');

    const version = await root.ok('/api/v1/admin/meta/version');
    const status = version.SelfBackup.find((s: any) => s.LastRunSize > 0);
    expect(status.LastRunSuccess).toBe(true);
  }, 300_000);

  it('a bucket that does not exist fails the run with a readable error and publishes nothing', async () => {
    const before = await keys();
    await setTargets([target(0, { S3BucketName: 'no-such-bucket', S3Subdir: 'elsewhere' })]);
    const failed = await runNow(0);
    expect(failed.Status).toBe('failed');
    expect(failed.Error).toMatch(/location cannot be written/);
    expect(await keys()).toEqual(before);
  }, 180_000);

  it('restores the archive downloaded from the bucket into a fresh database', async () => {
    const [key] = await keys('halley/nightly/');
    expect(key).toBeTruthy();
    const archive = path.join(work, path.basename(key!));
    const obj = await direct.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    fs.writeFileSync(archive, await (obj.Body as any).transformToByteArray());
    const listing = (await run('7z', ['l', '-slt', `-p${PASSWORD}`, archive])).stdout;
    expect(listing).toMatch(/Method = AES-256/);

    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL;
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    try {
      const dry = await run(tsx, ['scripts/restore.ts', archive, '--password', PASSWORD], { cwd: repoRoot, env, timeout: 120_000 });
      expect(dry.stdout + dry.stderr).toMatch(/nothing was written/);
      const dataDir = path.join(work, 'restored-data');
      const applied = await run(tsx, ['scripts/restore.ts', archive, '--password', PASSWORD, '--apply', '--data-dir', dataDir, '--database-url', scratch.url], { cwd: repoRoot, env, timeout: 180_000 });
      const out = applied.stdout + applied.stderr;
      const restoredTenants = Number(/restored Tenant: (\d+) rows/.exec(out)?.[1] ?? -1);
      const c = new pg.Client({ connectionString: scratch.url });
      await c.connect();
      try {
        const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM "Tenant"');
        expect(rows[0]!.n).toBe(restoredTenants);
        // The top-level organization and the tenant the first test made (at least).
        expect(restoredTenants).toBeGreaterThanOrEqual(2);
        // ExcludeJobsDB: the job tables exist and are empty.
        expect((await c.query<{ n: number }>('SELECT count(*)::int AS n FROM "Job"')).rows[0]!.n).toBe(0);
      } finally {
        await c.end();
      }
      expect(fs.existsSync(path.join(dataDir, 'secret.key'))).toBe(true);
    } finally {
      await scratch.drop().catch(() => undefined);
    }
  }, 300_000);
});
