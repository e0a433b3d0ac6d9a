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
import { repoRoot } from '../../scripts/lib/services.mjs';
import { startHalley } from './halley-process';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Halley server under test, without a trailing slash, e.g. http://127.0.0.1:41234 */
    halleyUrl: string;
  }
}

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
  fs.mkdirSync(servicesDir, { recursive: true });
  const halley = await startHalley({ name: 'web', workers: true, logDir: servicesDir });
  project.provide('halleyUrl', halley.url);
  return halley.stop;
}
