// A folder on the server (DESTINATIONTYPE_LOCALCOPY, LocalcopyPath). The archive is written as
// ".<name>.partial-<runId>" beside its final name, flushed to disk, then renamed: rename within one folder
// is atomic, so the folder holds either the whole archive or none of it.
import { createWriteStream } from 'node:fs';
import { access, constants, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { ArchiveInfo, BackupLocation, PendingArchive } from './location';
import { CauseError } from '../../errors';
import { apiMessage } from '../../i18n/api-messages';

const PARTIAL = /^\.(.+)\.partial-([0-9a-f-]{36})$/;

/**
 * mkdir -p without `recursive: true`: Node's recursive mkdir never returns for a folder that cannot exist
 * (e.g. under /proc: ENOENT although the parent exists), which would wedge the workers.
 */
async function makeDir(dir: string, depth = 0): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || depth > 64 || dirname(dir) === dir) throw err;
    await makeDir(dirname(dir), depth + 1);
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}

export function localLocation(dir: string): BackupLocation {
  if (!isAbsolute(dir)) throw new CauseError(apiMessage('locationPathNotAbsolute'));
  return {
    describe: () => `local: ${dir}`,
    async check() {
      await makeDir(dir);
      await access(dir, constants.W_OK);
    },
    async create(name: string, runId: string): Promise<PendingArchive> {
      const final = join(dir, name);
      const temp = join(dir, `.${name}.partial-${runId}`);
      const stream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
      return {
        stream,
        async commit() {
          const fh = await open(temp, 'r');
          try {
            await fh.sync();
          } finally {
            await fh.close();
          }
          await rename(temp, final);
          // The rename itself must survive a power cut too.
          const dh = await open(dir, 'r');
          try {
            await dh.sync();
          } finally {
            await dh.close();
          }
          return { size: (await stat(final)).size };
        },
        async abort() {
          stream.destroy();
          await rm(temp, { force: true });
        },
      };
    },
    async list(prefix: string): Promise<ArchiveInfo[]> {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return [];
      }
      const out: ArchiveInfo[] = [];
      for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith('.zip'))) {
        const s = await stat(join(dir, name)).catch(() => null);
        if (s?.isFile()) out.push({ name, size: s.size, modifiedMs: s.mtimeMs });
      }
      return out;
    },
    async remove(name: string) {
      await rm(join(dir, name), { force: true });
    },
    async removeOrphans(activeRunIds: Set<string>) {
      let removed = 0;
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const m = PARTIAL.exec(name);
        if (m && !activeRunIds.has(m[2]!)) {
          await rm(join(dir, name), { force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}
