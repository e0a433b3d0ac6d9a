// Vitest global setup of the integration project (see vitest.config.ts): starts ONE real Halley web server
// (`tsx server.ts`, NODE_ENV=production, a free port on 127.0.0.1) and one workers process, with the
// DATABASE_URL / REDIS_URL / HALLEY_SECRET_KEY that scripts/test.mjs provides, waits until the server
// answers GET /api/v1/openapi.json, and hands its base URL to the tests (inject('halleyUrl'), or
// halleyUrl() from tests/helpers/server.ts). Both processes are stopped at teardown.
//
// Output of the two processes goes to .test-services/web.log and workers.log; set
// HALLEY_TEST_SERVER_OUTPUT=1 to see it inline as well. Set HALLEY_TEST_URL to run the integration tests
// against a server that is already running instead.
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, repoRoot, startProcess, waitForHttp } from '../../scripts/lib/services.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Halley server under test, without a trailing slash, e.g. http://127.0.0.1:41234 */
    halleyUrl: string;
  }
}

const READY_PATH = '/api/v1/openapi.json';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const external = process.env.HALLEY_TEST_URL;
  if (external) {
    project.provide('halleyUrl', external.replace(/\/+$/, ''));
    return;
  }

  for (const name of ['DATABASE_URL', 'REDIS_URL', 'HALLEY_SECRET_KEY']) {
    if (!process.env[name]) {
      throw new Error(`${name} is not set: run the integration tests through \`npm test\`, which starts PostgreSQL and Redis`);
    }
  }
  for (const file of ['server.ts', 'workers/index.ts']) {
    if (!fs.existsSync(path.join(repoRoot, file))) throw new Error(`${file} does not exist: nothing to test against`);
  }
  if (!fs.existsSync(path.join(repoRoot, '.next', 'BUILD_ID'))) {
    throw new Error('no production build (.next/BUILD_ID): run the tests through `npm test`, which runs `next build`');
  }

  const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
  const dataDir = path.join(servicesDir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  // A real server, not a test process: drop vitest's own variables.
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITEST')) env[key] = value;
  Object.assign(env, {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    HALLEY_DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    NEXT_TELEMETRY_DISABLED: '1',
  });

  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const common = { env, echo: process.env.HALLEY_TEST_SERVER_OUTPUT === '1', pidDir: process.env.HALLEY_TEST_PIDS_DIR };
  const web = startProcess(tsx, ['server.ts'], { ...common, name: 'web', logFile: path.join(servicesDir, 'web.log') });
  const workers = startProcess(tsx, ['workers/index.ts'], {
    ...common,
    name: 'workers',
    logFile: path.join(servicesDir, 'workers.log'),
  });

  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await workers.stop({ timeoutMs: 20_000 });
    await web.stop({ timeoutMs: 20_000 });
  };

  try {
    await waitForHttp(url + READY_PATH, 120_000, { process: web });
    if (workers.exitInfo) {
      throw new Error(`the workers process exited during start-up. Last output:\n${workers.tail(40)}`);
    }
  } catch (err) {
    await stopAll();
    throw new Error(`Halley did not start for the integration tests: ${(err as Error).message}`);
  }

  for (const proc of [web, workers]) {
    void proc.exited.then((info) => {
      if (stopping) return;
      process.stderr.write(
        `\n[global-setup] ${proc.name} exited during the tests (${info.signal ?? `code ${info.code}`}). ` +
          `Last output:\n${proc.tail(40)}\n`,
      );
    });
  }

  project.provide('halleyUrl', url);
  return stopAll;
}
