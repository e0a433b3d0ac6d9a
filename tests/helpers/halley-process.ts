// Starts a real Halley web (and optionally workers) process for tests: `tsx server.ts` in production
// mode on a free loopback port, with the given database, and waits until it answers.
import path from 'node:path';
import { freePort, repoRoot, startProcess, waitForHttp, type ManagedProcess } from '../../scripts/lib/services.mjs';

/** `crash`: SIGKILL the web process (no clean-up), for fault tests. */
export type HalleyProcess = {
  url: string;
  port: number;
  stop: () => Promise<void>;
  crash: () => Promise<void>;
  /** The workers process (when started with workers: true). */
  workers?: ManagedProcess;
  /** Starts the workers process again (after it was killed), with the same settings. */
  restartWorkers: () => Promise<void>;
  /** SIGKILLs the workers process group (a crash: no graceful shutdown) and waits until it is gone. */
  killWorkers: () => Promise<void>;
};

/**
 * Webhook timings for tests: retries within a second or two instead of Halley's production schedule
 * (10 s doubling to 1 h over 24 h), lost jobs rescued after 2 s, a killed worker's job handed on after 2 s.
 */
export const TEST_WEBHOOK_ENV = {
  HALLEY_WEBHOOK_BACKOFF_BASE_MS: '100',
  HALLEY_WEBHOOK_BACKOFF_MAX_MS: '1000',
  HALLEY_WEBHOOK_RESCUE_AFTER_MS: '2000',
  HALLEY_WEBHOOK_LOCK_MS: '2000',
  HALLEY_WEBHOOK_DISPATCH_MS: '50',
  HALLEY_WEBHOOK_TIMEOUT_MS: '5000',
  HALLEY_PSA_RETRY_BASE_MS: '100',
  HALLEY_GRADIENT_VENDOR_KEY: 'halley-test-vendor-key',
};

export async function startHalley(opts: {
  name: string;
  databaseUrl?: string;
  workers?: boolean;
  logDir: string;
  port?: number;
  /** Extra environment of both processes (e.g. REDIS_URL of a private redis-server). */
  env?: Record<string, string>;
}): Promise<HalleyProcess> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  // A real server, not a test process: drop vitest's own variables.
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITEST')) env[key] = value;
  Object.assign(env, {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    NEXT_TELEMETRY_DISABLED: '1',
    ...TEST_WEBHOOK_ENV,
    HALLEY_STORAGE_DIR: path.join(opts.logDir, `storage-${port}`),
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...opts.env,
  });
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const common = { env, echo: process.env.HALLEY_TEST_SERVER_OUTPUT === '1', pidDir: process.env.HALLEY_TEST_PIDS_DIR };
  const web = startProcess(tsx, ['server.ts'], { ...common, name: opts.name, logFile: path.join(opts.logDir, `${opts.name}.log`) });
  const startWorkers = () =>
    startProcess(tsx, ['workers/index.ts'], { ...common, name: `${opts.name}-workers`, logFile: path.join(opts.logDir, `${opts.name}-workers.log`) });
  let workers = opts.workers ? startWorkers() : undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await workers?.stop({ timeoutMs: 20_000 });
    await web.stop({ timeoutMs: 20_000 });
  };
  const killWorkers = async () => {
    const w = workers;
    workers = undefined;
    handle.workers = undefined;
    if (!w?.pid || w.exitInfo) return;
    process.kill(-w.pid, 'SIGKILL');
    await w.exited;
  };
  const restartWorkers = async () => {
    await workers?.stop({ timeoutMs: 20_000 });
    workers = startWorkers();
    handle.workers = workers;
  };
  try {
    await waitForHttp(`${url}/api/v1/openapi.json`, 120_000, { process: web });
    if (workers?.exitInfo) throw new Error(`the workers process exited during start-up. Last output:\n${workers.tail(40)}`);
  } catch (err) {
    await stop();
    throw new Error(`Halley (${opts.name}) did not start: ${(err as Error).message}`);
  }
  for (const proc of workers ? [web, workers] : [web]) {
    void proc.exited.then((info) => {
      if (stopping || (proc !== web && proc !== workers)) return;
      process.stderr.write(`\n[${opts.name}] ${proc.name} exited during the tests (${info.signal ?? `code ${info.code}`}). Last output:\n${proc.tail(40)}\n`);
    });
  }
  const crash = async () => {
    stopping = true;
    await workers?.stop({ signal: 'SIGKILL', timeoutMs: 10_000 });
    await web.stop({ signal: 'SIGKILL', timeoutMs: 10_000 });
  };
  const handle: HalleyProcess = { url, port, stop, crash, workers, restartWorkers, killWorkers };
  return handle;
}
