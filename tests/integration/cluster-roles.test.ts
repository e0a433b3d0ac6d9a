// `npm start` on a node of a cluster: HALLEY_ROLES / --role choose the roles this node runs, against the
// shared DATABASE_URL and REDIS_URL (required then). A workers-only node starts no web server and answers on
// its metrics port; a web-only node starts no workers. SIGTERM stops either with exit code 0.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, isPortInUse, repoRoot } from '../../scripts/lib/services.mjs';
import { servicesDir, startIsolatedServices, type IsolatedServices } from '../helpers/isolated-services';
import { waitFor } from '../helpers/wait';

let services: IsolatedServices;
const children: ChildProcess[] = [];

beforeAll(async () => {
  services = await startIsolatedServices('roles');
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await services?.stop();
});

function start(args: string[], extra: Record<string, string | undefined>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_ENV') env[k] = v;
  const dataDir = path.join(servicesDir, `roles-${children.length}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  Object.assign(env, { HOST: '127.0.0.1', HALLEY_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl }, extra);
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  const child = spawn(process.execPath, ['scripts/start.mjs', ...args], { cwd: repoRoot, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

describe('roles', () => {
  it('refuses a node of some roles without the shared DATABASE_URL and REDIS_URL, and an unknown role', async () => {
    const noDb = start(['--role', 'workers'], { DATABASE_URL: undefined });
    expect(await noDb.exit).toBe(1);
    expect(noDb.output()).toMatch(/a node that runs only workers needs DATABASE_URL and REDIS_URL/);
    const bogus = start(['--role=web,bogus'], {});
    expect(await bogus.exit).toBe(1);
    expect(bogus.output()).toMatch(/unknown role bogus in --role/);
  });

  it('HALLEY_ROLES=workers runs only the workers (no web port; /readyz on the metrics port), and stops on SIGTERM', async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const node = start([], { HALLEY_ROLES: 'workers', PORT: String(port), HALLEY_WORKERS_METRICS_PORT: String(metricsPort) });
    await waitFor('the workers node to be ready', async () => (await fetch(`http://127.0.0.1:${metricsPort}/readyz`).catch(() => null))?.status === 200, 90_000, 250);
    expect(node.output()).toMatch(/roles on this node: workers/);
    expect(await isPortInUse(port, '127.0.0.1')).toBe(false);
    node.child.kill('SIGTERM');
    expect(await node.exit).toBe(0);
  }, 120_000);

  it('--role web runs only the web server (no workers metrics port)', async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const node = start(['--role', 'web'], { PORT: String(port), HALLEY_WORKERS_METRICS_PORT: String(metricsPort) });
    await waitFor('the banner', () => node.output().includes('Halley is running on'), 120_000, 250);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(await isPortInUse(metricsPort, '127.0.0.1')).toBe(false);
    node.child.kill('SIGTERM');
    expect(await node.exit).toBe(0);
  }, 150_000);
});
