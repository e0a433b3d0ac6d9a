// Collects what a report shows, through the job search (listJobsInScope + the SearchClause compiler):
// the report's Filter ANDed with its period, scoped to an account, a tenant or (server admin reports)
// every tenant. Pages through the matches 1,000 at a time and aggregates as it goes, so memory stays
// bounded whatever the number of jobs: totals and per-device groups are counters, and at most
// MAX_LISTED jobs are kept for the table.
import { listJobsInScope } from '../backup-jobs/list-jobs';
import type { JobScope } from '../backup-jobs/job-query';
import { db } from '../db/client';
import type { SearchClause } from '../jobs-search/compile-search-clause';
import type { JsonObject } from '../profile/mapper';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';
import { DEFAULT_BRANDING, type Branding, type GroupLine, type JobLine, type LogLine, type ReportContent, type Totals } from './render';
import { normaliseFilter, ReportType } from './report-types';

export const MAX_LISTED = 200;
const PAGE = 1000;
const MAX_LOG_LINES = 50;

/** Friendly names of devices, protected items and storage vaults, per account, loaded once per report. */
export class NameCache {
  private readonly byUser = new Map<string, Promise<{ devices: Map<string, string>; items: Map<string, string>; vaults: Map<string, string> }>>();

  names(username: string) {
    let hit = this.byUser.get(username);
    if (!hit) {
      hit = (async () => {
        const account = await db().account.findUnique({
          where: { username },
          select: { devices: { select: { deviceId: true, friendlyName: true } }, items: { select: { itemId: true, description: true } }, vaults: { select: { vaultId: true, description: true } } },
        });
        return {
          devices: new Map((account?.devices ?? []).map((d) => [d.deviceId, d.friendlyName])),
          items: new Map((account?.items ?? []).map((i) => [i.itemId, i.description])),
          vaults: new Map((account?.vaults ?? []).map((v) => [v.vaultId, v.description])),
        };
      })();
      this.byUser.set(username, hit);
    }
    return hit;
  }

  async line(job: JsonObject): Promise<JobLine> {
    const username = String(job.Username ?? '');
    const n = await this.names(username);
    const deviceId = String(job.DeviceID ?? '');
    const itemId = String(job.SourceGUID ?? '');
    const vaultId = String(job.DestinationGUID ?? '');
    return {
      guid: String(job.GUID ?? ''),
      username,
      status: Number(job.Status ?? 0),
      classification: Number(job.Classification ?? 0),
      device: n.devices.get(deviceId) || deviceId,
      item: n.items.get(itemId) || itemId,
      vault: n.vaults.get(vaultId) || vaultId,
      start: Number(job.StartTime ?? 0),
      end: Number(job.EndTime ?? 0),
      uploaded: Number(job.UploadSize ?? 0),
      downloaded: Number(job.DownloadSize ?? 0),
      totalSize: Number(job.TotalSize ?? 0),
      files: Number(job.TotalFiles ?? 0),
    };
  }
}

const and = (...children: SearchClause[]): SearchClause => ({ ClauseType: 'and', ClauseChildren: children });
const rule = (field: string, op: string, value: string | number): SearchClause => ({ ClauseType: '', RuleField: field, RuleOperator: op, RuleValue: String(value) });

/** The content of an immediate report for one job, or null when the job does not match the filter. */
export async function collectImmediate(opts: { scope: JobScope; filter: SearchClause | null | undefined; jobId: string; names?: NameCache }): Promise<ReportContent | null> {
  const { jobs } = await listJobsInScope({
    scope: opts.scope,
    filter: { kind: 'search', clause: and(normaliseFilter(opts.filter), rule('BackupJobDetail.GUID', 'str_eq', opts.jobId)) },
    page: { limit: 1 },
  });
  if (!jobs.length) return null;
  const job = await (opts.names ?? new NameCache()).line(jobs[0]);
  const log = await db().jobLogEntry.findMany({
    where: { jobId: opts.jobId, severity: { in: ['W', 'E'] } },
    orderBy: { id: 'asc' },
    take: MAX_LOG_LINES,
    select: { time: true, severity: true, message: true },
  });
  return { kind: 'immediate', job, log: log.map((l): LogLine => ({ time: Number(l.time), severity: l.severity, message: l.message })) };
}

/** The most recent matching finished job (immediate-report previews). */
export async function collectLatestImmediate(opts: { scope: JobScope; filter: SearchClause | null | undefined; names?: NameCache }): Promise<ReportContent> {
  const { jobs } = await listJobsInScope({
    scope: opts.scope,
    filter: { kind: 'search', clause: and(normaliseFilter(opts.filter), rule('BackupJobDetail.EndTime', 'int_gt', 0)) },
    page: { limit: 1, newestFirst: true },
  });
  if (!jobs.length) return { kind: 'immediate', job: null, log: [] };
  return (await collectImmediate({ scope: opts.scope, filter: null, jobId: String(jobs[0].GUID), names: opts.names })) ?? { kind: 'immediate', job: null, log: [] };
}

const isSuccess = (s: number) => s >= 5000 && s <= 5999;
const isRunning = (s: number) => s >= 6000 && s <= 6999;

/** Summary, grouped status and recent activity: jobs that started in [start, end). */
export async function collectPeriod(opts: {
  scope: JobScope;
  filter: SearchClause | null | undefined;
  reportType: number;
  period: { start: number; end: number };
  now?: number;
  names?: NameCache;
}): Promise<ReportContent> {
  const names = opts.names ?? new NameCache();
  const kind = opts.reportType === ReportType.GROUPED_STATUS ? 'grouped' : opts.reportType === ReportType.RECENT_ACTIVITY ? 'recent' : 'summary';
  const clause = and(normaliseFilter(opts.filter), rule('BackupJobDetail.StartTime', 'int_gte', opts.period.start), rule('BackupJobDetail.StartTime', 'int_lt', opts.period.end));
  const totals: Totals = { jobs: 0, succeeded: 0, warnings: 0, failed: 0, running: 0 };
  const groups = new Map<string, GroupLine>();
  const lines: JobLine[] = [];
  let cursor: string | undefined;
  // Recent activity lists the newest jobs; summary and grouped status read oldest first.
  const newestFirst = kind === 'recent';
  do {
    const page = await listJobsInScope({ scope: opts.scope, filter: { kind: 'search', clause }, page: { limit: PAGE, cursor, newestFirst }, now: opts.now });
    cursor = page.nextCursor;
    for (const job of page.jobs) {
      const line = await names.line(job);
      totals.jobs++;
      if (isSuccess(line.status)) totals.succeeded++;
      else if (isRunning(line.status)) totals.running++;
      else if (line.status === 7001) totals.warnings++;
      else totals.failed++;
      if (kind === 'grouped') {
        const key = `${line.username}\u0000${line.device}\u0000${line.item}`;
        const g = groups.get(key) ?? { username: line.username, device: line.device, item: line.item, jobs: 0, failed: 0, lastStatus: 0, lastStart: 0, uploaded: 0 };
        g.jobs++;
        if (!isSuccess(line.status) && !isRunning(line.status)) g.failed++;
        g.uploaded += line.uploaded;
        if (line.start >= g.lastStart) {
          g.lastStart = line.start;
          g.lastStatus = line.status;
        }
        groups.set(key, g);
      } else if (lines.length < MAX_LISTED) {
        lines.push(line);
      }
    }
  } while (cursor);
  const grouped = [...groups.values()].sort((a, b) => a.username.localeCompare(b.username) || a.device.localeCompare(b.device) || a.item.localeCompare(b.item));
  return { kind, period: opts.period, totals, lines, more: kind === 'grouped' ? 0 : Math.max(0, totals.jobs - lines.length), groups: grouped };
}

/** Branding of a tenant (Organization.Branding), falling back to the server's, then Halley's. */
export async function loadBranding(tenantId: string): Promise<Branding> {
  const rows = await db().tenant.findMany({ where: { id: { in: [tenantId, TOP_LEVEL_TENANT_ID] } }, select: { id: true, data: true } });
  const pick = (id: string) => ((rows.find((r) => r.id === id)?.data ?? {}) as JsonObject).Branding as Record<string, unknown> | undefined;
  const own = pick(tenantId) ?? {};
  const server = pick(TOP_LEVEL_TENANT_ID) ?? {};
  const str = (k: string, fallback: string) => {
    const v = own[k] || server[k];
    return typeof v === 'string' && v.trim() ? v.trim() : fallback;
  };
  const brandName = str('BrandName', DEFAULT_BRANDING.brandName);
  return {
    brandName,
    productName: str('ProductName', brandName),
    companyName: str('CompanyName', brandName),
    topColor: str('TopColor', DEFAULT_BRANDING.topColor),
    accentColor: str('AccentColor', DEFAULT_BRANDING.accentColor),
  };
}
