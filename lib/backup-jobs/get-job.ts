// One job and its log, for admins (tenant-scoped) and end users (own account only). The scope is part of
// the job lookup's WHERE, and the log query joins back to the scoped job, so a foreign job id answers
// exactly like a missing one.
import { db } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import type { JsonObject } from '../profile/mapper';
import type { AdminActor, UserActor } from '../tenancy/actor';
import { JOB_WIRE_COLUMNS, jobRowToWire } from './job-row';
import { jobScopeFor } from './job-scope';
import { apiMessage } from '../i18n/api-messages';

export function jobNotFound(jobId: string): NotFoundError {
  return new NotFoundError(apiMessage('jobNotFound', { id: jobId.slice(0, 100) }));
}

const WIRE_SELECT = Object.fromEntries(JOB_WIRE_COLUMNS.map((c) => [c, true])) as Record<(typeof JOB_WIRE_COLUMNS)[number], true>;

export async function getJobProperties({ actor, jobId }: { actor: AdminActor | UserActor; jobId: string }): Promise<JsonObject> {
  const row = await db().job.findFirst({ where: { id: jobId, ...jobScopeFor(actor) }, select: WIRE_SELECT });
  if (!row) throw jobNotFound(jobId);
  return jobRowToWire(row);
}

// Comet's Severity letters, least to most severe.
const SEVERITY_ORDER = ['D', 'I', 'W', 'E'] as const;
const SEVERITY_WORDS: Record<string, string> = { DEBUG: 'D', INFO: 'I', WARNING: 'W', WARN: 'W', ERROR: 'E' };

/** MinSeverity -> the severities to keep; "" keeps all. Accepts the letters and their names. */
function severitiesFrom(minSeverity: string | undefined): string[] | undefined {
  if (minSeverity === undefined || minSeverity === '') return undefined;
  const key = minSeverity.trim().toUpperCase();
  const letter = (SEVERITY_ORDER as readonly string[]).includes(key) ? key : SEVERITY_WORDS[key];
  if (!letter) throw new BadRequestError(apiMessage('minSeverityInvalid', { got: JSON.stringify(minSeverity.slice(0, 20)) }));
  return SEVERITY_ORDER.slice(SEVERITY_ORDER.indexOf(letter as (typeof SEVERITY_ORDER)[number]));
}

type JobLogEntryWire = { Time: number; Severity: string; Message: string };

export async function getJobLogEntries(opts: {
  actor: AdminActor | UserActor;
  jobId: string;
  minSeverity?: string;
  messageContains?: string;
}): Promise<JobLogEntryWire[]> {
  const severities = severitiesFrom(opts.minSeverity);
  const scope = jobScopeFor(opts.actor);
  const job = await db().job.findFirst({ where: { id: opts.jobId, ...scope }, select: { id: true } });
  if (!job) throw jobNotFound(opts.jobId);
  const rows = await db().jobLogEntry.findMany({
    where: {
      jobId: job.id,
      job: scope,
      ...(severities ? { severity: { in: severities } } : {}),
    },
    select: { time: true, severity: true, message: true },
    orderBy: { id: 'asc' },
  });
  // A plain substring test (Comet's strings.Contains): done here rather than as LIKE, where % and _ in the
  // text would act as wildcards.
  const needle = opts.messageContains;
  const kept = needle ? rows.filter((r) => r.message.includes(needle)) : rows;
  return kept.map((r) => ({ Time: Number(r.time), Severity: r.severity, Message: r.message }));
}

const pad = (n: number) => String(n).padStart(2, '0');
function logTimestamp(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The job log as plain text: one `YYYY-MM-DD HH:MM:SS <severity> <message>` line (UTC) per entry. */
export async function getJobLogText({ actor, jobId }: { actor: AdminActor | UserActor; jobId: string }): Promise<string> {
  const entries = await getJobLogEntries({ actor, jobId });
  return entries.map((e) => `${logTimestamp(e.Time)} ${e.Severity} ${e.Message}\n`).join('');
}
