// Starts a real Halley web (and optionally workers) process for tests: `tsx server.ts` in production
// mode on a free loopback port, with the given database, and waits until it answers.
import path from 'node:path';
import { freePort, repoRoot, startProcess, waitForHttp } from '../../scripts/lib/services.mjs';

/** `crash`: SIGKILL the web process (no clean-up), for fault tests. */
export type HalleyProcess = { url: string; port: number; stop: () => Promise<void>; crash: () => Promise<void> };

export async function startHalley(opts: { name: string; databaseUrl?: string; workers?: boolean; logDir: string; port?: number; env?: Record<string, string> }): Promise<HalleyProcess> {
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
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...opts.env,
  });
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const common = { env, echo: process.env.HALLEY_TEST_SERVER_OUTPUT === '1', pidDir: process.env.HALLEY_TEST_PIDS_DIR };
  const web = startProcess(tsx, ['server.ts'], { ...common, name: opts.name, logFile: path.join(opts.logDir, `${opts.name}.log`) });
  const workers = opts.workers
    ? startProcess(tsx, ['workers/index.ts'], { ...common, name: `${opts.name}-workers`, logFile: path.join(opts.logDir, `${opts.name}-workers.log`) })
    : undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await workers?.stop({ timeoutMs: 20_000 });
    await web.stop({ timeoutMs: 20_000 });
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
      if (stopping) return;
      process.stderr.write(`\n[${opts.name}] ${proc.name} exited during the tests (${info.signal ?? `code ${info.code}`}). Last output:\n${proc.tail(40)}\n`);
    });
  }
  const crash = async () => {
    stopping = true;
    await workers?.stop({ signal: 'SIGKILL', timeoutMs: 10_000 });
    await web.stop({ signal: 'SIGKILL', timeoutMs: 10_000 });
  };
  return { url, port, stop, crash };
}
