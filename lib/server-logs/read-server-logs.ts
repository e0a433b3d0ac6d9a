// admin/meta/list-available-log-days, read-logs, read-select-logs (top-level admins): the daily log files
// under <data dir>/logs, one per UTC day, named by LogDay = the day's start in Unix seconds.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BadRequestError, NotFoundError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { logFileDay, logFileName } from './daily-log-file';
import { serverLogDir } from './log-dir';
import { apiMessage } from '../i18n/api-messages';

/** One answer holds at most this much log text (the newest part of a bigger day). */
const MAX_TEXT_BYTES = 32 * 1024 * 1024;

export async function listAvailableLogDays({ actor }: { actor: AdminActor }): Promise<number[]> {
  requireTopLevel(actor);
  const names = await readdir(serverLogDir()).catch(() => [] as string[]);
  return names.map(logFileDay).filter((d): d is number => d !== null).sort((a, b) => a - b);
}

function checkDay(day: number): void {
  if (!Number.isInteger(day) || day < 0 || day % 86_400 !== 0 || day > 4_102_444_800) {
    throw new BadRequestError(apiMessage('logDayInvalid'));
  }
}

async function readTail(file: string, budget: number): Promise<string> {
  const size = (await stat(file)).size;
  const start = Math.max(0, size - budget);
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(file, { start })) chunks.push(c as Buffer);
  let text = Buffer.concat(chunks).toString('utf8');
  if (start > 0) text = `[${start} earlier bytes of this day are left out]\n${text.slice(text.indexOf('\n') + 1)}`;
  return text;
}

/** The text of one day's log (a missing day is NotFound). */
export async function readLogDay({ actor, day }: { actor: AdminActor; day: number }): Promise<string> {
  requireTopLevel(actor);
  checkDay(day);
  const file = join(serverLogDir(), logFileName(day));
  try {
    return await readTail(file, MAX_TEXT_BYTES);
  } catch {
    throw new NotFoundError(apiMessage('serverLogMissing', { day }));
  }
}

/** Several days' logs, oldest first; missing days are skipped. */
export async function readLogDays({ actor, days }: { actor: AdminActor; days: number[] }): Promise<string> {
  requireTopLevel(actor);
  if (!Array.isArray(days) || days.length > 366) throw new BadRequestError(apiMessage('logDaysTooMany'));
  for (const d of days) checkDay(d);
  let budget = MAX_TEXT_BYTES;
  const parts: string[] = [];
  for (const day of [...new Set(days)].sort((a, b) => a - b)) {
    const text = await readTail(join(serverLogDir(), logFileName(day)), budget).catch(() => null);
    if (text === null) continue;
    parts.push(text);
    budget -= Buffer.byteLength(text);
    if (budget <= 0) break;
  }
  return parts.join('');
}
