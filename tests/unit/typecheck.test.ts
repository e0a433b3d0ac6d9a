// The type-check tier: the whole repository (app, lib, workers, tests, bench) must compile.
// Next's build skips type checking (next.config.mjs), so this is where type errors fail the suite.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

it('tsc --noEmit passes', { timeout: 240_000 }, () => {
  const res = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], { cwd: root, encoding: 'utf8' });
  expect(res.stdout + res.stderr, 'type errors').toBe('');
  expect(res.status).toBe(0);
});
