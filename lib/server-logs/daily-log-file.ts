// Server log files: one per UTC day, <data dir>/logs/halley-YYYYMMDD.log, appended to by every Halley
// process on the machine (web and workers; O_APPEND writes of whole lines do not interleave). Written
// synchronously so a crash loses nothing that was logged; a write error (disk full) never stops the logger.
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const FILE = /^halley-(\d{8})\.log$/;

export const logFileName = (dayStartSeconds: number) => `halley-${new Date(dayStartSeconds * 1000).toISOString().slice(0, 10).replace(/-/g, '')}.log`;

/** The UTC day start (Unix seconds, Comet's LogDay) a log file covers, or null for other files. */
export function logFileDay(name: string): number | null {
  const m = FILE.exec(name);
  if (!m) return null;
  const d = m[1]!;
  const ms = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
  return Number.isFinite(ms) ? ms / 1000 : null;
}

/** A pino destination writing each line to the current day's file under `dir`. */
export function dailyLogStream(dir: string): { write(line: string): void } {
  let day = -1;
  let fd = -1;
  return {
    write(line: string) {
      try {
        const today = Math.floor(Date.now() / 86_400_000) * 86_400;
        if (today !== day) {
          if (fd >= 0) closeSync(fd);
          fd = -1;
          // Only the logs folder itself: the data directory exists (npm start made it), and Node's recursive
          // mkdir never returns for a path that cannot exist.
          try {
            mkdirSync(dir, { mode: 0o700 });
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          }
          fd = openSync(join(dir, logFileName(today)), 'a', 0o600);
          day = today;
        }
        writeSync(fd, line);
      } catch {
        // The console output still has the line; a full disk must not take the server down.
      }
    },
  };
}

/** Deletes log files older than `retentionDays` days; returns how many. */
export function pruneLogFiles(dir: string, retentionDays: number, nowMs = Date.now()): number {
  const cutoff = Math.floor(nowMs / 86_400_000) * 86_400 - retentionDays * 86_400;
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const day = logFileDay(name);
    if (day !== null && day < cutoff) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
