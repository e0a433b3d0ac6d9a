// Job lists and the job search: one statement per call, scope in its WHERE (lib/backup-jobs/job-query.ts).
// The console's job history and the email reports call searchJobs / countJobs directly; the API's
// get-jobs-* endpoints call listJobs with the filter of each endpoint.
import { db, dbPool, PRISMA_ROW_TYPES } from '../db/client';
import type pg from 'pg';
import { BadRequestError } from '../errors';
import { checkSearchRegexes, isInvalidRegexError } from '../job-search/check-regexes';
import type { SearchClause } from '../job-search/compile-search-clause';
import type { JsonObject } from '../profile/mapper';
import type { AdminActor, UserActor } from '../tenancy/actor';
import { accountRowsScope, tenantWhere } from '../tenancy/scope';
import { userNotFound } from '../users/find-account';
import { buildJobCountQuery, buildJobListQuery, pageOf, type BuiltQuery, type JobFilter, type JobPage, type JobScope } from './job-query';
import { jobRowToWire, type JobWireRow } from './job-row';
import { jobScopeFor } from './job-scope';
import { apiMessage } from '../i18n/api-messages';

export type JobListResult = { jobs: JsonObject[]; nextCursor?: string };

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * One built statement on the pg pool (no query compiler, no Prisma row mapping: a page of 100 jobs spent about
 * a third of its CPU there; bench/README.md). int8 columns come as numbers (PRISMA_ROW_TYPES), jsonb parsed.
 */
async function run<R extends pg.QueryResultRow>(q: BuiltQuery): Promise<R[]> {
  if (q.regexes.length) await checkSearchRegexes(q.regexes);
  try {
    return (await dbPool().query<R>({ text: q.text, values: q.values as unknown[], types: PRISMA_ROW_TYPES })).rows;
  } catch (err) {
    // checkSearchRegexes already compiled every pattern; this only catches what slips past it.
    const why = isInvalidRegexError(err);
    if (why) throw new BadRequestError(apiMessage('badRegexMatch', { reason: String(why) }));
    throw err;
  }
}

/** Rows of `scope` matching `filter`, ordered by (StartTime, GUID); one page when `page` is given. */
export async function listJobsInScope(opts: { scope: JobScope; filter: JobFilter; page?: JobPage; now?: number }): Promise<JobListResult> {
  const q = buildJobListQuery({ scope: opts.scope, filter: opts.filter, page: opts.page, now: opts.now ?? nowSeconds() });
  const { rows, nextCursor } = pageOf(await run<JobWireRow>(q), opts.page);
  return { jobs: rows.map(jobRowToWire), nextCursor };
}

export function listJobs(opts: { actor: AdminActor | UserActor; filter: JobFilter; page?: JobPage }): Promise<JobListResult> {
  return listJobsInScope({ scope: jobScopeFor(opts.actor), filter: opts.filter, page: opts.page });
}

/** Jobs matching a Comet SearchClause that the actor may see (console job history, email reports). */
export function searchJobs(opts: { actor: AdminActor | UserActor; query: SearchClause; page?: JobPage; now?: number }): Promise<JobListResult> {
  return listJobsInScope({ scope: jobScopeFor(opts.actor), filter: { kind: 'search', clause: opts.query }, page: opts.page, now: opts.now });
}

/** How many jobs match (count-jobs-for-custom-search, the query builder's preview count). */
export async function countJobs(opts: { actor: AdminActor | UserActor; query: SearchClause; now?: number }): Promise<number> {
  const q = buildJobCountQuery({ scope: jobScopeFor(opts.actor), filter: { kind: 'search', clause: opts.query }, now: opts.now ?? nowSeconds() });
  const [row] = await run<{ count: bigint | number }>(q);
  return Number(row?.count ?? 0);
}

/** AdminGetJobsForUser: the account must be visible to the admin (a foreign user looks missing). */
export async function listJobsForUser(opts: { actor: AdminActor; username: string; page?: JobPage }): Promise<JobListResult> {
  const account = await db().account.findFirst({ where: { username: opts.username, ...tenantWhere(opts.actor) }, select: { id: true, tenantId: true } });
  if (!account) throw userNotFound(opts.username);
  return listJobsInScope({ scope: accountRowsScope(account), filter: { kind: 'all' }, page: opts.page });
}

/** AdminGetJobsRecent: running jobs and jobs started or ended in the last 24 hours. */
export const RECENT_SECONDS = 24 * 3600;
