// Collects what a report shows, through the job search (the SearchClause compiler): the report's Filter
// ANDed with its period, scoped to an account, a tenant or (server admin reports) every tenant. Immediate
// reports read their one job with listJobsInScope; period reports let PostgreSQL count and group
// (report-query.ts), so memory and time stay bounded whatever the number of jobs.
import { listJobsInScope } from '../backup-jobs/list-jobs';
import type { JobScope } from '../backup-jobs/job-query';
import { db } from '../db/client';
import type { SearchClause } from '../job-search/compile-search-clause';
import type { JsonObject } from '../profile/mapper';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';
import { DEFAULT_BRANDING, type Branding, type GroupLine, type JobLine, type LogLine, type ReportContent } from './render';
import { queryPeriod, reportNum } from './report-query';
import { normaliseFilter, ReportType } from './report-types';

const MAX_LOG_LINES = 50;

/** Friendly names of devices, protected items and storage vaults, per account, loaded once per report. */
export class NameCache {
  private readonly byUser = new Map<string, Promise<{ devices: Map<string, string>; items: Map<string, string>; vaults: Map<string, string> }>>();

  names(username: string) {
    let hit = this.byUser.get(username);
    if (!hit) {
      hit = (async () => {
        // tenancy: derived — names for the rows of a report already scoped by its JobScope; usernames are unique server-wide
        const rows = await db().$queryRaw<{ k: string; id: string; name: string }[]>`
          SELECT 'd' AS k, d."deviceId" AS id, d."friendlyName" AS name FROM "Device" d JOIN "Account" a ON a.id = d."accountId" WHERE a.username = ${username}
          UNION ALL SELECT 'i', p."itemId", p.description FROM "ProtectedItem" p JOIN "Account" a ON a.id = p."accountId" WHERE a.username = ${username}
          UNION ALL SELECT 'v', v."vaultId", v.description FROM "StorageVault" v JOIN "Account" a ON a.id = v."accountId" WHERE a.username = ${username}`;
        const out = { devices: new Map<string, string>(), items: new Map<string, string>(), vaults: new Map<string, string>() };
        for (const r of rows) (r.k === 'd' ? out.devices : r.k === 'i' ? out.items : out.vaults).set(r.id, r.name);
        return out;
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
  const data = await queryPeriod({
    scope: opts.scope,
    clause: normaliseFilter(opts.filter),
    period: opts.period,
    now: opts.now ?? Math.floor(Date.now() / 1000),
    // Recent activity lists the newest jobs first; a summary lists the period in order.
    list: kind === 'grouped' ? 'none' : kind === 'recent' ? 'newest' : 'oldest',
    grouped: kind === 'grouped',
  });
  const lines: JobLine[] = [];
  for (const r of data.rows) {
    const n = await names.names(r.username);
    lines.push({
      guid: r.id,
      username: r.username,
      status: r.status,
      classification: r.classification,
      device: n.devices.get(r.deviceId) || r.deviceId,
      item: n.items.get(r.sourceGuid) || r.sourceGuid,
      vault: n.vaults.get(r.destinationGuid) || r.destinationGuid,
      start: reportNum(r.startTime),
      end: reportNum(r.endTime),
      uploaded: reportNum(r.uploadSize),
      downloaded: reportNum(r.downloadSize),
      totalSize: reportNum(r.totalSize),
      files: reportNum(r.totalFiles),
    });
  }
  const groups: GroupLine[] = [];
  for (const g of data.groups) {
    const n = await names.names(g.username);
    groups.push({
      username: g.username,
      device: n.devices.get(g.deviceId) || g.deviceId,
      item: n.items.get(g.sourceGuid) || g.sourceGuid,
      jobs: reportNum(g.jobs),
      failed: reportNum(g.failed),
      lastStatus: g.lastStatus,
      lastStart: reportNum(g.lastStart),
      uploaded: reportNum(g.uploaded),
    });
  }
  return { kind, period: opts.period, totals: data.totals, lines, more: kind === 'grouped' ? 0 : Math.max(0, data.totals.jobs - lines.length), groups };
}

const brandingCache = new Map<string, { value: Promise<Branding>; until: number }>();

/** Branding of a tenant (Organization.Branding), falling back to the server's, then Halley's (cached 2 s). */
export function loadBranding(tenantId: string): Promise<Branding> {
  const hit = brandingCache.get(tenantId);
  if (hit && hit.until > Date.now()) return hit.value;
  const value = readBranding(tenantId);
  brandingCache.set(tenantId, { value, until: Date.now() + 2000 });
  value.catch(() => brandingCache.delete(tenantId));
  return value;
}

async function readBranding(tenantId: string): Promise<Branding> {
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
