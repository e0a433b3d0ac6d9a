// The report runs the workers execute: immediate reports when a job completes, scheduled reports when
// their BullMQ job scheduler fires, the reconciliation that keeps one scheduler per (report, schedule),
// and the follower that turns SEVT_JOB_COMPLETED rows of the Event outbox into immediate reports.
// tenancy-file: system — the email report worker runs for every tenant; each report carries its own JobScope (adminScope / the account)
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { log } from '../log';
import { writeServerSetting } from '../settings/server-settings';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';
import { collectImmediate, collectPeriod, loadBranding, NameCache } from './collect-report';
import { deliverReport } from './deliveries';
import { ACCOUNT_REPORT_SELECT, accountReports, adminReports, specDigest, userReports, type ReportSpec } from './report-sources';
import { EmailJob, emailQueue, enqueueSends, jobIdFor, onJobCompleted } from './queue';
import { isScheduledType, ReportType } from './report-types';
import { periodFor, scheduleToRepeat, type RepeatSpec } from './schedule';

const typeOf = (spec: ReportSpec) => spec.config.ReportType ?? ReportType.IMMEDIATE;

/** Immediate reports of one finished job: the account's, its tenant's admin reports and the server's. */
export async function runImmediateReports(payload: { jobId: string }): Promise<{ deliveries: number }> {
  const job = await db().job.findUnique({ where: { id: payload.jobId }, select: { id: true, tenantId: true, accountId: true, endTime: true } });
  if (!job || job.endTime === 0n) return { deliveries: 0 };
  const specs = [
    ...(job.accountId ? await accountReports(job.accountId) : []),
    ...(await adminReports(job.tenantId)),
    ...(job.tenantId !== TOP_LEVEL_TENANT_ID ? await adminReports(TOP_LEVEL_TENANT_ID) : []),
  ].filter((s) => typeOf(s) === ReportType.IMMEDIATE && s.recipients.length);
  let deliveries = 0;
  const names = new NameCache();
  const brandings = new Map<string, Awaited<ReturnType<typeof loadBranding>>>();
  for (const spec of specs) {
    const occurrence = `job:${job.id}`;
    const content = await collectImmediate({ scope: spec.scope, filter: spec.config.Filter, jobId: job.id, names });
    if (!content) continue;
    // Branding follows the job's organization, also in the server's admin reports.
    const branding = brandings.get(job.tenantId) ?? (await loadBranding(job.tenantId));
    brandings.set(job.tenantId, branding);
    deliveries += (await deliverReport({ spec, occurrence, content, branding, reportType: ReportType.IMMEDIATE })).length;
  }
  return { deliveries };
}

export type ScheduledPayload = { tenantId: string; reportKey: string; scheduleIndex: number; digest: string };

async function specsFor(tenantId: string, reportKey: string): Promise<ReportSpec[]> {
  if (reportKey.startsWith('admin:')) return adminReports(tenantId);
  const accountId = reportKey.split(':')[1] ?? '';
  return accountReports(accountId);
}

function repeatOf(spec: ReportSpec, index: number): RepeatSpec | null {
  const schedule = (spec.config.SummaryFrequency ?? [])[index];
  return schedule ? scheduleToRepeat(schedule, spec.timeZone) : null;
}

/** Runs a summary / grouped status / recent activity report for the period ending at `dueMs`. */
export async function runPeriodReport(spec: ReportSpec, period: { start: number; end: number }): Promise<number> {
  // No "already sent?" query first: the unique (report, recipient, occurrence) key makes a repeated run
  // insert nothing and send nothing; a repeat only costs the collection, and repeats are rare.
  const occurrence = `period:${period.start}-${period.end}`;
  const content = await collectPeriod({ scope: spec.scope, filter: spec.config.Filter, reportType: typeOf(spec), period, now: period.end });
  const branding = await loadBranding(spec.tenantId);
  return (await deliverReport({ spec, occurrence, content, branding, reportType: typeOf(spec) })).length;
}

/** The scheduler's job: finds the report it was created for (a changed or removed report is skipped). */
export async function runScheduledReport(payload: ScheduledPayload, meta: { scheduledAt?: number }): Promise<unknown> {
  const spec = (await specsFor(payload.tenantId, payload.reportKey)).find((s) => s.key === payload.reportKey);
  const repeat = spec ? repeatOf(spec, payload.scheduleIndex) : null;
  if (!spec || !repeat || specDigest(spec, [payload.scheduleIndex, repeat]) !== payload.digest) return { stale: true };
  const period = periodFor(repeat, meta.scheduledAt ?? Date.now(), spec.config.TimeSpan?.Seconds);
  return { deliveries: await runPeriodReport(spec, period) };
}

// ---------------------------------------------------------------------------------------------
// Job schedulers: one per (scheduled report, schedule entry), id "email.<tenant>.<report key>.<n>.<digest>".

type Desired = { id: string; repeat: RepeatSpec; payload: ScheduledPayload };

function desiredFor(specs: ReportSpec[]): Desired[] {
  const out: Desired[] = [];
  for (const spec of specs) {
    if (!isScheduledType(typeOf(spec)) || !spec.recipients.length) continue;
    (spec.config.SummaryFrequency ?? []).forEach((_s, i) => {
      const repeat = repeatOf(spec, i);
      if (!repeat) return;
      const digest = specDigest(spec, [i, repeat]);
      out.push({ id: jobIdFor('email', spec.tenantId, spec.key, String(i), digest), repeat, payload: { tenantId: spec.tenantId, reportKey: spec.key, scheduleIndex: i, digest } });
    });
  }
  return out;
}

async function desiredSchedulers(tenantId?: string): Promise<Desired[]> {
  const tenants = tenantId ? [tenantId] : (await db().tenant.findMany({ select: { id: true } })).map((t) => t.id);
  const specs: ReportSpec[] = [];
  for (const t of tenants) specs.push(...(await adminReports(t)));
  let cursor: string | undefined;
  for (;;) {
    const accounts = await db().account.findMany({
      where: { sendEmailReports: true, ...(tenantId ? { tenantId } : {}), ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: 500,
      select: ACCOUNT_REPORT_SELECT,
    });
    for (const a of accounts) specs.push(...userReports(a));
    if (accounts.length < 500) break;
    cursor = accounts[accounts.length - 1].id;
  }
  return desiredFor(specs);
}

/**
 * Makes the email job schedulers match the configured reports (all, or one tenant's). Runs every minute
 * in the workers and right after email options are saved; profile and policy changes are picked up by
 * the next periodic run. Also re-enqueues deliveries whose send job was lost (e.g. Redis restarted).
 */
export async function reconcileEmailSchedules(opts: { tenantId?: string } = {}): Promise<{ added: number; removed: number }> {
  const q = await emailQueue();
  const desired = await desiredSchedulers(opts.tenantId);
  const prefix = opts.tenantId ? jobIdFor('email', opts.tenantId, '') : 'email.';
  const existing = (await q.getJobSchedulers(0, -1)).map((s) => s.key).filter((k) => k.startsWith(prefix));
  const want = new Set(desired.map((d) => d.id));
  let removed = 0;
  for (const key of existing) {
    if (!want.has(key)) {
      await q.removeJobScheduler(key);
      removed++;
    }
  }
  const have = new Set(existing);
  let added = 0;
  for (const d of desired) {
    if (have.has(d.id)) continue;
    const repeat = 'every' in d.repeat ? { every: d.repeat.every } : { pattern: d.repeat.pattern, tz: d.repeat.tz };
    await q.upsertJobScheduler(d.id, repeat, { name: EmailJob.SCHEDULED_REPORT, data: d.payload, opts: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 100, removeOnFail: 500 } });
    added++;
  }
  if (!opts.tenantId) {
    const stuck = await db().emailDelivery.findMany({ where: { status: 'pending', updatedAt: { lt: new Date(Date.now() - 120_000) } }, select: { id: true, tenantId: true }, take: 1000 });
    for (const s of stuck) await enqueueSends(s.tenantId, [s.id]);
  }
  if (added || removed) log.info({ added, removed, tenantId: opts.tenantId }, 'email report schedulers reconciled');
  return { added, removed };
}

// ---------------------------------------------------------------------------------------------
// Outbox follower: SEVT_JOB_COMPLETED events (resourceId or Data.JobID/GUID = the job's GUID).

const OUTBOX_CURSOR_KEY = 'email.outbox-cursor';
const OUTBOX_LOCK = 7_310_551;

export async function followJobCompletedOutbox(): Promise<{ jobs: number }> {
  return db().$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${OUTBOX_LOCK}) AS ok`;
    if (!lock?.ok) return { jobs: 0 };
    const row = await tx.serverSetting.findUnique({ where: { key: OUTBOX_CURSOR_KEY }, select: { value: true } });
    let cursor = row ? BigInt(String((row.value as { id?: string }).id ?? '0')) : undefined;
    if (cursor === undefined) {
      // First run: start at the end of the outbox rather than mail the whole history.
      const top = await tx.event.aggregate({ _max: { id: true } });
      cursor = top._max.id ?? 0n;
      await writeServerSetting(tx, OUTBOX_CURSOR_KEY, { id: cursor.toString() });
      return { jobs: 0 };
    }
    const events = await tx.event.findMany({ where: { id: { gt: cursor }, type: SEVT.SEVT_JOB_COMPLETED }, orderBy: { id: 'asc' }, take: 1000, select: { id: true, tenantId: true, resourceId: true, data: true } });
    if (!events.length) return { jobs: 0 };
    for (const e of events) {
      const data = (e.data ?? {}) as Record<string, unknown>;
      const jobId = e.resourceId || String(data.JobID ?? data.GUID ?? '');
      if (jobId) await onJobCompleted(jobId, e.tenantId);
    }
    await writeServerSetting(tx, OUTBOX_CURSOR_KEY, { id: events[events.length - 1].id.toString() });
    return { jobs: events.length };
  });
}
