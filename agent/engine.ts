// The reference agent's backup and restore of local directories into a Vault (local folder, Storage Role bucket or S3), with honest
// statistics (directories, files, bytes, chunks, bytes uploaded/downloaded).
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { TJobStats } from '../lib/live/protocol';
import { Chunker, DEFAULT_CHUNKING, type ChunkerOptions } from './cdc';
import type { Vault, Snapshot, SnapshotFile } from './vault';

export type JobReporter = {
  progress(stats: TJobStats): void;
  log(severity: 'D' | 'I' | 'W' | 'E', message: string): void;
  cancelled(): boolean;
};

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

const BLOCK = 1024 * 1024;

function walk(root: string, prefix: string, dirs: string[], files: Array<{ abs: string; rel: string }>, reporter: JobReporter): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch (err) {
    reporter.log('W', `Skipped ${root}: ${(err as Error).message}`);
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const abs = path.join(root, e.name);
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) {
      dirs.push(rel);
      walk(abs, rel, dirs, files, reporter);
    } else if (e.isFile()) files.push({ abs, rel });
  }
}

export async function backupDirectories(opts: {
  vault: Vault;
  roots: string[];
  jobId: string;
  sourceGuid: string;
  reporter: JobReporter;
  chunking?: ChunkerOptions;
}): Promise<{ stats: Required<Pick<TJobStats, 'TotalDirectories' | 'TotalFiles' | 'TotalSize' | 'TotalChunks' | 'UploadSize'>>; snapshot: Snapshot }> {
  const { vault, reporter } = opts;
  const dirs: string[] = [];
  const files: Array<{ abs: string; rel: string }> = [];
  for (const root of opts.roots) {
    if (!fs.existsSync(root)) {
      reporter.log('E', `The folder ${root} does not exist`);
      throw new Error(`The folder ${root} does not exist`);
    }
    const prefix = opts.roots.length > 1 ? path.basename(root) : '';
    if (prefix) dirs.push(prefix);
    walk(root, prefix, dirs, files, reporter);
  }
  reporter.log('I', `Backing up ${files.length} files in ${dirs.length} folders`);
  const stats = { TotalDirectories: dirs.length, TotalFiles: 0, TotalSize: 0, TotalChunks: 0, UploadSize: 0 };
  const out: SnapshotFile[] = [];
  const buf = Buffer.alloc(BLOCK);
  for (const f of files) {
    if (reporter.cancelled()) throw new CancelledError();
    let st: fs.Stats;
    let fd: number;
    try {
      st = fs.statSync(f.abs);
      fd = fs.openSync(f.abs, 'r');
    } catch (err) {
      reporter.log('W', `Skipped ${f.rel}: ${(err as Error).message}`);
      continue;
    }
    const chunker = new Chunker(opts.chunking ?? DEFAULT_CHUNKING);
    const ids: string[] = [];
    const store = async (chunks: Buffer[]) => {
      for (const c of chunks) {
        const id = vault.chunkId(c);
        stats.UploadSize += await vault.putChunk(id, c);
        ids.push(id);
        stats.TotalChunks += 1;
      }
    };
    try {
      for (;;) {
        const n = fs.readSync(fd, buf, 0, BLOCK, null);
        if (n === 0) break;
        stats.TotalSize += n;
        await store(chunker.push(Buffer.from(buf.subarray(0, n))));
        if (reporter.cancelled()) throw new CancelledError();
        await yieldToLoop();
      }
      await store(chunker.finish());
    } finally {
      fs.closeSync(fd);
    }
    stats.TotalFiles += 1;
    out.push({ path: f.rel, size: st.size, mode: st.mode & 0o777, mtime: Math.floor(st.mtimeMs), chunks: ids });
    reporter.progress({ ...stats, Progress: { BytesDone: stats.TotalSize, ItemsDone: stats.TotalFiles, ItemsTotal: files.length } });
  }
  const snapshot = await vault.writeSnapshot({ jobId: opts.jobId, sourceGuid: opts.sourceGuid, time: Math.floor(Date.now() / 1000), roots: opts.roots, dirs, files: out });
  reporter.log('I', `Snapshot ${snapshot.id}: ${stats.TotalFiles} files, ${stats.TotalSize} bytes, ${stats.TotalChunks} chunks, ${stats.UploadSize} bytes uploaded`);
  return { stats, snapshot };
}

/** Restores a snapshot (or only the files under `paths`) into `target`. */
export async function restoreSnapshot(opts: {
  vault: Vault;
  snapshot: Snapshot;
  target: string;
  paths: string[];
  reporter: JobReporter;
  /** run-restore-custom's overwrite rules: true keeps the existing file at `full`. */
  keepExisting?: (full: string, file: SnapshotFile) => boolean;
}): Promise<TJobStats> {
  const { vault, snapshot, reporter } = opts;
  const wanted = (p: string) => opts.paths.length === 0 || opts.paths.some((x) => p === x || p.startsWith(`${x.replace(/\/+$/, '')}/`));
  const targetRoot = path.resolve(opts.target);
  const inside = (rel: string) => {
    const full = path.resolve(targetRoot, rel);
    if (full !== targetRoot && !full.startsWith(targetRoot + path.sep)) throw new Error(`Refusing to restore outside the target: ${rel}`);
    return full;
  };
  fs.mkdirSync(targetRoot, { recursive: true });
  for (const d of snapshot.dirs) if (wanted(d)) fs.mkdirSync(inside(d), { recursive: true });
  const files = snapshot.files.filter((f) => wanted(f.path));
  const stats = { TotalDirectories: snapshot.dirs.filter(wanted).length, TotalFiles: 0, TotalSize: 0, TotalChunks: 0, DownloadSize: 0 };
  for (const f of files) {
    if (reporter.cancelled()) throw new CancelledError();
    const full = inside(f.path);
    if (opts.keepExisting && fs.existsSync(full) && opts.keepExisting(full, f)) {
      reporter.log('I', `Kept the existing ${f.path}`);
      continue;
    }
    fs.mkdirSync(path.dirname(full), { recursive: true });
    const fd = fs.openSync(full, 'w', f.mode || 0o644);
    try {
      for (const id of f.chunks) {
        const data = await vault.getChunk(id);
        fs.writeSync(fd, data);
        stats.DownloadSize += data.length;
        stats.TotalChunks += 1;
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.utimesSync(full, new Date(f.mtime), new Date(f.mtime));
    stats.TotalFiles += 1;
    stats.TotalSize += f.size;
    reporter.progress({ ...stats, Progress: { BytesDone: stats.TotalSize, ItemsDone: stats.TotalFiles, ItemsTotal: files.length } });
    await yieldToLoop();
  }
  reporter.log('I', `Restored ${stats.TotalFiles} files (${stats.TotalSize} bytes) to ${targetRoot}`);
  return stats;
}
