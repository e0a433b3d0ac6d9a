// A real `npm start` (scripts/start.mjs) for the tests that exercise its supervisor: it uses the test services'
// PostgreSQL and Redis (already migrated), so it starts only the web and workers roles, with a data dir of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, repoRoot } from '../../scripts/lib/services.mjs';
import { waitFor } from './wait';

export type NpmStart = {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** The process group of a role's child (web, workers), as the supervisor records it. */
  pgidOf: (role: string) => number | undefined;
  /** Whether the web role answers. */
  answers: () => Promise<boolean>;
};

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startNpmStart(dataDir: string): Promise<NpmStart> {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_ENV') env[k] = v;
  Object.assign(env, { PORT: String(port), HOST: '127.0.0.1', HALLEY_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: repoRoot, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const runDir = path.join(dataDir, 'run');
  const started: NpmStart = {
    child,
    port,
    output: () => output,
    pgidOf: (role) => {
      try {
        return Number(fs.readFileSync(path.join(runDir, `${role}.pgid`), 'utf8').trim()) || undefined;
      } catch {
        return undefined;
      }
    },
    answers: async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`)).ok;
      } catch {
        return false;
      }
    },
  };
  await waitFor('the banner', () => output.includes('Halley is running on'), 120_000);
  return started;
}
