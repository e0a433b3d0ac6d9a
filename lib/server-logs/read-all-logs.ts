// admin/meta/read-all-logs (top-level admins): every daily server log file as one zip, streamed while it is
// made (the files are read and deflated as the client takes the bytes; nothing is held whole in memory).
// Entries are named like the files (halley-YYYYMMDD.log), oldest first. A day being written while it is
// zipped ends where the file ended when its entry was read.
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { configure, ZipWriter } from '@zip.js/zip.js';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { logFileDay } from './daily-log-file';
import { serverLogDir } from './log-dir';

type LogArchive = { source: Readable; filename: string };

export async function readAllLogs({ actor }: { actor: AdminActor }): Promise<LogArchive> {
  requireTopLevel(actor);
  // No web workers in Node (the deflate itself is Node's CompressionStream, or zlib once self-backup's codec is set up).
  configure({ useWebWorkers: false });
  const dir = serverLogDir();
  const names = (await readdir(dir).catch(() => [] as string[]))
    .map((name) => ({ name, day: logFileDay(name) }))
    .filter((f): f is { name: string; day: number } => f.day !== null)
    .sort((a, b) => a.day - b.day);
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const zip = new ZipWriter(writable, { level: 6, keepOrder: true });
  void (async () => {
    try {
      for (const f of names) {
        const file = createReadStream(join(dir, f.name));
        await zip.add(f.name, Readable.toWeb(file) as ReadableStream<Uint8Array>, { zip64: true, lastModDate: new Date(f.day * 1000) });
      }
      await zip.close();
    } catch (err) {
      // The status line has gone out: abort the download so it cannot look complete.
      await writable.abort(err).catch(() => undefined);
    }
  })();
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return { source: Readable.fromWeb(readable as never), filename: `halley-server-logs-${today}.zip` };
}
