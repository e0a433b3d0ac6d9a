// Generates the Prisma client into lib/generated/prisma without Prisma's download server:
// `prisma generate` does not need the schema engine, but the CLI insists on one existing,
// so point it at any executable file.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function generatedIsFresh() {
  const out = join(root, 'lib/generated/prisma/client.ts');
  if (!existsSync(out)) return false;
  return statSync(out).mtimeMs >= statSync(join(root, 'prisma/schema.prisma')).mtimeMs;
}

export function prismaGenerate({ quiet = false } = {}) {
  const res = spawnSync(process.execPath, [join(root, 'node_modules/prisma/build/index.js'), 'generate'], {
    cwd: root,
    stdio: quiet ? 'pipe' : 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (res.status !== 0) {
    if (quiet) process.stderr.write(String(res.stdout ?? '') + String(res.stderr ?? ''));
    throw new Error('prisma generate failed');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) prismaGenerate();
