// `npm start` keeps the product up when one of its processes crashes: kill -9 of the workers or the web
// process is logged and the process is started again; PostgreSQL/Redis and the other role stay up, and
// Ctrl-C still stops everything cleanly. (The crash-loop give-up is covered in tests/unit/supervise-process.)
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { processAlive, startNpmStart, type NpmStart } from '../helpers/npm-start';
import { waitFor } from '../helpers/wait';

const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
const dataDir = path.join(servicesDir, 'start-supervisor');
let started: NpmStart;
let child: ChildProcess;
let port = 0;
const output = () => started.output();
const pgidOf = (role: string) => started.pgidOf(role);
const alive = processAlive;
const answers = () => started.answers();

beforeAll(async () => {
  started = await startNpmStart(dataDir);
  ({ child, port } = started);
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

describe('npm start supervises web and workers', () => {
  it('restarts the workers after kill -9, and the web keeps answering', async () => {
    const before = pgidOf('workers')!;
    expect(alive(before)).toBe(true);
    process.kill(before, 'SIGKILL');
    const after = await waitFor('a new workers process', () => {
      const now = pgidOf('workers');
      return now && now !== before && alive(now) ? now : undefined;
    });
    expect(after).not.toBe(before);
    expect(output()).toMatch(/workers exited unexpectedly \(signal SIGKILL\); restarting in 1 s/);
    await waitFor('the restart line', () => output().includes('workers restarted (pid '));
    expect(await answers()).toBe(true);
    expect(child.exitCode).toBeNull();
  });

  it('restarts the web process after kill -9', async () => {
    const before = pgidOf('web')!;
    process.kill(before, 'SIGKILL');
    await waitFor('a new web process', () => {
      const now = pgidOf('web');
      return now && now !== before && alive(now);
    });
    await waitFor('the web answering again', answers, 90_000);
    expect(output()).toMatch(/web exited unexpectedly \(signal SIGKILL\); restarting/);
    expect(child.exitCode).toBeNull();
  }, 120_000);

  it('Ctrl-C still stops everything and exits 0', async () => {
    const pids = [pgidOf('web')!, pgidOf('workers')!];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  }, 60_000);
});
