// admin/meta/restart-service and shutdown-service (issue 17) through `npm start`'s supervisor: restart stops
// web and workers gracefully and starts them again without counting a crash; shutdown stops everything and
// the supervisor exits 0. A Halley without the supervisor (the shared test server) says why it cannot.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomHex, repoRoot } from '../../scripts/lib/services.mjs';
import { CometClient } from '../helpers/comet-client';
import { makeTenant, ROOT, rootClient } from '../helpers/fixtures';
import { processAlive, startNpmStart, type NpmStart } from '../helpers/npm-start';
import { waitFor } from '../helpers/wait';

const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
const dataDir = path.join(servicesDir, `server-restart-${randomHex(4)}`);
let started: NpmStart;
let child: ChildProcess;
let port = 0;
let root: CometClient;
const output = () => started.output();
const pgidOf = (role: string) => started.pgidOf(role);
const alive = processAlive;
const answers = () => started.answers();

beforeAll(async () => {
  started = await startNpmStart(dataDir);
  ({ child, port } = started);
  await rootClient(); // the top-level admin exists in the shared database
  root = new CometClient(`http://127.0.0.1:${port}`, ROOT);
}, 150_000);

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    for (const role of ['web', 'workers']) {
      const pgid = pgidOf(role);
      if (pgid) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('restart-service and shutdown-service', () => {
  it('are refused to a tenant admin, and without the supervisor the server says why', async () => {
    const t = await makeTenant('restart');
    const tenantAdmin = new CometClient(`http://127.0.0.1:${port}`, t.admin.creds);
    expect((await tenantAdmin.fails('/api/v1/admin/meta/restart-service')).Status).toBe(403);
    expect((await tenantAdmin.fails('/api/v1/admin/meta/shutdown-service')).Status).toBe(403);
    const unsupervised = await rootClient();
    const r = await unsupervised.fails('/api/v1/admin/meta/restart-service');
    expect(r.Status).toBe(400);
    expect(r.Message).toMatch(/not running under the supervisor/);
    expect((await unsupervised.fails('/api/v1/admin/meta/shutdown-service')).Message).toMatch(/not running under the supervisor/);
    expect(alive(pgidOf('web')!)).toBe(true);
  });

  it('restart-service answers OK, then web and workers are replaced without counting a crash', async () => {
    const before = { web: pgidOf('web')!, workers: pgidOf('workers')! };
    expect(await root.ok('/api/v1/admin/meta/restart-service')).toEqual({ Status: 200, Message: 'OK' });
    const after = await waitFor('new web and workers processes', () => {
      const web = pgidOf('web');
      const workers = pgidOf('workers');
      return web && workers && web !== before.web && workers !== before.workers && alive(web) && alive(workers) ? { web, workers } : undefined;
    }, 90_000, 200);
    expect(alive(before.web)).toBe(false);
    expect(alive(before.workers)).toBe(false);
    await waitFor('the web answering again', answers, 90_000);
    expect(output()).toMatch(/workers restarted on request \(pid /);
    expect(output()).toMatch(/web restarted on request \(pid /);
    expect(output()).not.toMatch(/exited unexpectedly/);
    expect(child.exitCode).toBeNull();
    expect((await root.ok('/api/v1/admin/meta/version')).Version).toBeTruthy();
    expect(after.web).not.toBe(before.web);
  }, 120_000);

  it('shutdown-service answers OK, then everything stops and the supervisor exits 0', async () => {
    const pids = [pgidOf('web')!, pgidOf('workers')!];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    expect(await root.ok('/api/v1/admin/meta/shutdown-service')).toEqual({ Status: 200, Message: 'OK' });
    expect(await exited).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(output()).toMatch(/shutdown-service requested by root-admin/);
  }, 90_000);
});
