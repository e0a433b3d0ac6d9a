// Query plans of the common job-list shapes on PostgreSQL: tenant-scoped (and account-scoped) lists and
// time-bounded searches must never read the Job table sequentially. A scratch database with every
// migration gets 150,000 jobs over 1,000 tenants (generate_series), is ANALYZEd, and each shape's SQL —
// built by the same functions the API uses — is EXPLAINed with its bind values.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJobCountQuery, buildJobListQuery, encodeJobCursor, type BuiltQuery, type JobFilter, type JobScope } from '../../lib/backup-jobs/job-query';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';

const NOW = 1_800_000_000;
const DAY = 86400;
const TENANTS = 1000;
const JOBS_PER_TENANT = 150;
const tenantId = (i: number) => `tenant-${String(i).padStart(4, '0')}`;
const accountId = (t: number, a: number) => `account-${t}-${a}`;

let scratch: { url: string; drop: () => Promise<void> };
let c: pg.Client;

beforeAll(async () => {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must name a PostgreSQL server where the test user may CREATE DATABASE');
  scratch = await createScratchDatabase(process.env.DATABASE_URL);
  await applyMigrations(scratch.url);
  c = new pg.Client({ connectionString: scratch.url });
  await c.connect();
  await c.query(
    `INSERT INTO "Tenant" (id, name, hosts, "updatedAt") SELECT 'tenant-' || lpad(i::text, 4, '0'), 't' || i, '{}', now() FROM generate_series(0, $1::int - 1) i`,
    [TENANTS],
  );
  await c.query(
    `INSERT INTO "Account" (id, username, "tenantId", "updatedAt")
     SELECT 'account-' || t || '-' || a, 'user-' || t || '-' || a, 'tenant-' || lpad(t::text, 4, '0'), now()
     FROM generate_series(0, $1::int - 1) t, generate_series(0, 4) a`,
    [TENANTS],
  );
  // Start times spread over a year before NOW; 1 in 50 jobs still running; statuses and classifications mixed.
  await c.query(
    `INSERT INTO "Job" (id, "tenantId", "accountId", username, classification, status, "startTime", "endTime", "deviceId",
       "clientVersion", "totalSize", "uploadSize", "updatedAt")
     SELECT 'job-' || g, 'tenant-' || lpad((g % $1::int)::text, 4, '0'), 'account-' || (g % $1::int) || '-' || (g % 5),
       'user-' || (g % $1::int) || '-' || (g % 5), CASE WHEN g % 10 = 0 THEN 4002 ELSE 4001 END,
       CASE WHEN g % 50 = 0 THEN 6001 WHEN g % 7 = 0 THEN 7002 ELSE 5000 END,
       $2::bigint - (g * 7919 % (365 * 86400)),
       CASE WHEN g % 50 = 0 THEN 0 ELSE $2::bigint - (g * 7919 % (365 * 86400)) + 600 END,
       'device-' || (g % 20000), '25.9.' || (g % 9), (g % 1000) * 1048576, (g % 100) * 65536, now()
     FROM generate_series(1, $3::int) g`,
    [TENANTS, NOW, TENANTS * JOBS_PER_TENANT],
  );
  await c.query('ANALYZE');
}, 300_000);

afterAll(async () => {
  await c?.end();
  await scratch?.drop();
});

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };

async function plan(q: BuiltQuery): Promise<PlanNode> {
  const r = await c.query(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values);
  return (r.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan;
}

function nodes(p: PlanNode): PlanNode[] {
  return [p, ...(p.Plans ?? []).flatMap(nodes)];
}

const rule = (RuleField: string, RuleOperator: string, RuleValue: string | number) => ({ ClauseType: '', RuleField, RuleOperator, RuleValue: String(RuleValue) });
const and = (...ClauseChildren: object[]) => ({ ClauseType: 'and', ClauseChildren });

const failedLastWeek = and(
  rule('BackupJobDetail.TimeSinceJobStart', 'int_lt', 7 * DAY),
  rule('Halley.IsFailed', 'bool_is', 'true'),
  rule('BackupJobDetail.Classification', 'int_eq', 4001),
);
const monthWindow = and(
  rule('BackupJobDetail.StartTime', 'int_gte', NOW - 30 * DAY),
  rule('BackupJobDetail.StartTime', 'int_lt', NOW),
  rule('BackupJobDetail.Username', 'str_contains_ci', 'user-1'),
  rule('BackupJobDetail.ClientVersion', 'str_startswith', '25.9'),
);
const cursor = encodeJobCursor({ startTime: BigInt(NOW - 20 * DAY), id: 'job-5' });
const tenant: JobScope = { tenantId: tenantId(17) };
const search = (clause: object): JobFilter => ({ kind: 'search', clause });

const shapes: Array<[string, BuiltQuery]> = [
  ['tenant: failed backups in the last 7 days, first page', buildJobListQuery({ scope: tenant, filter: search(failedLastWeek), page: { limit: 100 }, now: NOW })],
  ['tenant: 30-day multi-clause search, first page', buildJobListQuery({ scope: tenant, filter: search(monthWindow), page: { limit: 100 }, now: NOW })],
  ['tenant: 30-day multi-clause search, later page (keyset)', buildJobListQuery({ scope: tenant, filter: search(monthWindow), page: { limit: 100, cursor }, now: NOW })],
  ['tenant: 30-day multi-clause search, unpaged (Comet)', buildJobListQuery({ scope: tenant, filter: search(monthWindow), now: NOW })],
  ['tenant: 30-day multi-clause search, newest first (console)', buildJobListQuery({ scope: tenant, filter: search(monthWindow), page: { limit: 100, newestFirst: true }, now: NOW })],
  ['tenant: count of a time-bounded search', buildJobCountQuery({ scope: tenant, filter: search(failedLastWeek), now: NOW })],
  ['tenant: get-jobs-for-date-range', buildJobListQuery({ scope: tenant, filter: { kind: 'range', start: NOW - 2 * DAY, end: NOW - DAY }, now: NOW })],
  ['tenant: get-jobs-for-date-range 0,0 (unfinished)', buildJobListQuery({ scope: tenant, filter: { kind: 'range', start: 0, end: 0 }, now: NOW })],
  ['tenant: get-jobs-recent', buildJobListQuery({ scope: tenant, filter: { kind: 'recent', since: NOW - DAY }, now: NOW })],
  ['tenant: get-jobs-all, paged', buildJobListQuery({ scope: tenant, filter: { kind: 'all' }, page: { limit: 500, cursor }, now: NOW })],
  ['top level: time-bounded search, first page', buildJobListQuery({ scope: {}, filter: search(failedLastWeek), page: { limit: 100 }, now: NOW })],
  ['top level: get-jobs-for-date-range', buildJobListQuery({ scope: {}, filter: { kind: 'range', start: NOW - 2 * DAY, end: NOW - DAY }, now: NOW })],
  ['top level: count of a time-bounded search', buildJobCountQuery({ scope: {}, filter: search(monthWindow), now: NOW })],
  ['account (user/web and get-jobs-for-user): search', buildJobListQuery({ scope: { tenantId: tenantId(17), accountId: accountId(17, 2) }, filter: search(failedLastWeek), now: NOW })],
  ['account: all jobs, paged', buildJobListQuery({ scope: { tenantId: tenantId(17), accountId: accountId(17, 2) }, filter: { kind: 'all' }, page: { limit: 100 }, now: NOW })],
];

describe('job list plans (150,000 jobs, 1,000 tenants, ANALYZEd)', () => {
  it('the seeded table is big enough that a sequential scan would be a real choice', async () => {
    const r = await c.query(`SELECT count(*)::int AS n FROM "Job"`);
    expect(r.rows[0].n).toBe(TENANTS * JOBS_PER_TENANT);
  });

  it.each(shapes)('%s: no Seq Scan on Job', async (_label, q) => {
    const p = await plan(q);
    const seq = nodes(p).filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'Job');
    expect(seq, JSON.stringify(p)).toEqual([]);
    expect(nodes(p).some((n) => n['Relation Name'] === 'Job')).toBe(true);
  });
});
