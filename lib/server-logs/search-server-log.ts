// Halley: one day's server log as entries for the console's log viewer, filtered by level and text.
// Lines are pino JSON; a line that is not JSON is shown as it is.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BadRequestError, NotFoundError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { logFileName } from './daily-log-file';
import { serverLogDir } from './log-dir';
import { apiMessage } from '../i18n/api-messages';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const NAMES = Object.fromEntries(Object.entries(LEVELS).map(([k, v]) => [v, k]));

type LogEntry = { Time: number; Level: string; Message: string; Line: string };

export async function searchServerLog(opts: { actor: AdminActor; day: number; minLevel?: string; contains?: string; limit?: number }): Promise<{ Entries: LogEntry[]; Truncated: boolean }> {
  requireTopLevel(opts.actor);
  if (!Number.isInteger(opts.day) || opts.day % 86_400 !== 0 || opts.day < 0) throw new BadRequestError(apiMessage('logDayInvalidShort'));
  const min = opts.minLevel ? LEVELS[opts.minLevel] : 0;
  if (min === undefined) throw new BadRequestError(apiMessage('minLevelOneOf', { values: Object.keys(LEVELS).join(', ') }));
  const limit = opts.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new BadRequestError(apiMessage('limitTo10000'));
  const needle = (opts.contains ?? '').toLowerCase();
  if (needle.length > 200) throw new BadRequestError(apiMessage('containsTooLong'));
  const stream = createReadStream(join(serverLogDir(), logFileName(opts.day)), 'utf8');
  const opened = await new Promise<boolean>((resolve) => {
    stream.once('open', () => resolve(true));
    stream.once('error', () => resolve(false));
  });
  if (!opened) throw new NotFoundError(apiMessage('serverLogMissing', { day: opts.day }));
  // Newest entries are what a person looks for: keep the last `limit` matches.
  const entries: LogEntry[] = [];
  let truncated = false;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (!line) continue;
    let level = 30;
    let time = 0;
    let message = line;
    try {
      const j = JSON.parse(line) as { level?: number; time?: number; msg?: string };
      level = Number(j.level ?? 30);
      time = Math.floor(Number(j.time ?? 0) / 1000);
      message = String(j.msg ?? '');
    } catch {
      // not JSON: keep it as the message
    }
    if (level < min) continue;
    if (needle && !line.toLowerCase().includes(needle)) continue;
    entries.push({ Time: time, Level: NAMES[level] ?? String(level), Message: message, Line: line.slice(0, 8192) });
    if (entries.length > limit) {
      entries.shift();
      truncated = true;
    }
  }
  return { Entries: entries, Truncated: truncated };
}
