// SQL for scheduled reports: the report's SearchClause compiled by lib/job-search (bind parameters
// only), the job scope (tenant / account, as SQL from lib/tenancy/tenant-sql.ts) and the period, all in
// one WHERE; then PostgreSQL aggregates. A report reads a fixed number of rows whatever the number of
// jobs: one totals row, at most MAX_LISTED jobs, at most MAX_GROUPS groups.
import type { JobScope } from '../backup-jobs/job-query';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { checkSearchRegexes, isInvalidRegexError } from '../job-search/check-regexes';
import { compileSearchClause, SqlParams, type SearchClause } from '../job-search/compile-search-clause';
import { accountScopeSqlParts } from '../tenancy/tenant-sql';
import { apiMessage } from '../i18n/api-messages';

export const MAX_LISTED = 200;
export const MAX_GROUPS = 1000;

type Where = { sql: string; values: unknown[]; regexes: string[] };

function whereFor(scope: JobScope, clause: SearchClause, period: { start: number; end: number }, now: number): Where {
  const params = new SqlParams();
  const parts = accountScopeSqlParts(scope, (v) => params.add(v, 'text'), 'j');
  parts.push(`j."startTime" >= ${params.add(String(period.start), 'bigint')} AND j."startTime" < ${params.add(String(period.end), 'bigint')}`);
  const compiled = compileSearchClause(clause, params, { now });
  if (compiled.sql !== 'TRUE') parts.push(`(${compiled.sql})`);
  return { sql: parts.join(' AND '), values: params.values, regexes: compiled.regexes };
}

// tenancy: derived — w.sql starts with accountScopeSqlParts(scope) (whereFor above)
async function run<R>(text: string, values: unknown[]): Promise<R[]> {
  try {
    return await db().$queryRawUnsafe<R[]>(text, ...values);
  } catch (err) {
    const why = isInvalidRegexError(err);
    if (why) throw new BadRequestError(apiMessage('badRegexMatch', { reason: String(why) }));
    throw err;
  }
}

type N = bigint | number | string | null;
const num = (v: N) => (v === null ? 0 : Number(v));

export type ReportRow = {
  id: string; username: string; status: number; classification: number; startTime: N; endTime: N; deviceId: string; sourceGuid: string;
  destinationGuid: string; uploadSize: N; downloadSize: N; totalSize: N; totalFiles: N;
};
export type GroupRow = { username: string; deviceId: string; sourceGuid: string; jobs: N; failed: N; uploaded: N; lastStatus: number; lastStart: N };

export type PeriodData = {
  totals: { jobs: number; succeeded: number; warnings: number; failed: number; running: number };
  rows: ReportRow[];
  groups: GroupRow[];
};

export async function queryPeriod(opts: {
  scope: JobScope;
  clause: SearchClause;
  period: { start: number; end: number };
  now: number;
  list: 'oldest' | 'newest' | 'none';
  grouped: boolean;
}): Promise<PeriodData> {
  const w = whereFor(opts.scope, opts.clause, opts.period, opts.now);
  if (w.regexes.length) await checkSearchRegexes(w.regexes);
  // tenancy: derived — w.sql starts with accountScopeSqlParts(scope) (whereFor above)
  const totalsQ = run<{ jobs: N; succeeded: N; running: N; warnings: N }>(
    `SELECT count(*) AS jobs, count(*) FILTER (WHERE j.status BETWEEN 5000 AND 5999) AS succeeded,
       count(*) FILTER (WHERE j.status BETWEEN 6000 AND 6999) AS running, count(*) FILTER (WHERE j.status = 7001) AS warnings
     FROM "Job" AS j WHERE ${w.sql}`,
    w.values,
  );
  const rowsQ =
    opts.list === 'none'
      ? Promise.resolve([] as ReportRow[])
      // tenancy: derived — w.sql starts with accountScopeSqlParts(scope) (whereFor above)
      : run<ReportRow>(
          `SELECT j.id, j.username, j.status, j.classification, j."startTime", j."endTime", j."deviceId", j."sourceGuid", j."destinationGuid",
             j."uploadSize", j."downloadSize", j."totalSize", j."totalFiles"
           FROM "Job" AS j WHERE ${w.sql}
           ORDER BY j."startTime" ${opts.list === 'newest' ? 'DESC' : 'ASC'}, j.id ${opts.list === 'newest' ? 'DESC' : 'ASC'} LIMIT ${MAX_LISTED}`,
          w.values,
        );
  const groupsQ = !opts.grouped
    ? Promise.resolve([] as GroupRow[])
    // tenancy: derived — w.sql starts with accountScopeSqlParts(scope) (whereFor above)
    : run<GroupRow>(
        `SELECT j.username, j."deviceId", j."sourceGuid", count(*) AS jobs,
           count(*) FILTER (WHERE NOT (j.status BETWEEN 5000 AND 6999)) AS failed, sum(j."uploadSize") AS uploaded,
           (array_agg(j.status ORDER BY j."startTime" DESC, j.id DESC))[1] AS "lastStatus", max(j."startTime") AS "lastStart"
         FROM "Job" AS j WHERE ${w.sql}
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT ${MAX_GROUPS}`,
        w.values,
      );
  const [[t], rows, groups] = await Promise.all([totalsQ, rowsQ, groupsQ]);
  const jobs = num(t?.jobs ?? 0);
  const succeeded = num(t?.succeeded ?? 0);
  const running = num(t?.running ?? 0);
  const warnings = num(t?.warnings ?? 0);
  return { totals: { jobs, succeeded, running, warnings, failed: jobs - succeeded - running - warnings }, rows, groups };
}

export const reportNum = num;
