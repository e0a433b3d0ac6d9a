// SQL for every job list: scope (tenant / account) first, then the endpoint's filter (SearchClause,
// date range, recent), then the keyset, ordered by (startTime, id) so pages are stable and each page
// is one index range scan. Pure: returns text + bind values; Halley runs it on the pg pool and
// bench/baseline.ts runs the very same text through `pg`.
import { BadRequestError } from '../errors';
import { compileSearchClause, SqlParams, type SearchClause } from '../job-search/compile-search-clause';
import type { AccountScope } from '../tenancy/scope';
import { accountScopeSqlParts } from '../tenancy/tenant-sql';
import { JOB_WIRE_COLUMNS } from './job-row';
import { apiMessage } from '../i18n/api-messages';

/** Which rows the caller may see; every field given is ANDed. Built by jobScopeFor() from the actor. */
export type JobScope = AccountScope;

export type JobFilter =
  | { kind: 'all' }
  | { kind: 'search'; clause: SearchClause }
  /** Started or ended within [start, end]; start = end = 0 means "not finished yet". */
  | { kind: 'range'; start: number; end: number }
  /** Still running, or started/ended since `since` (Unix seconds). */
  | { kind: 'recent'; since: number };

/** `newestFirst` (console use; the API keeps Comet's oldest-first order) reverses the order and the keyset. */
export type JobPage = { limit: number; cursor?: string; newestFirst?: boolean };

export const MAX_PAGE_LIMIT = 10_000;

export type BuiltQuery = { text: string; values: unknown[]; regexes: string[] };

const SELECT_LIST = JOB_WIRE_COLUMNS.map((c) => `j."${c}"`).join(', ');

// ---------------------------------------------------------------------------------------------
// Keyset cursor: opaque to clients (base64url JSON), validated on the way in.

export type JobCursor = { startTime: bigint; id: string; newestFirst?: boolean };

export function encodeJobCursor(c: JobCursor): string {
  return Buffer.from(JSON.stringify([c.newestFirst ? -1 : 1, c.startTime.toString(), c.id])).toString('base64url');
}

export function decodeJobCursor(cursor: string): JobCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 3 && (v[0] === 1 || v[0] === -1) && typeof v[1] === 'string' && /^-?\d{1,19}$/.test(v[1]) && typeof v[2] === 'string') {
      return { startTime: BigInt(v[1]), id: v[2], ...(v[0] === -1 ? { newestFirst: true } : {}) };
    }
  } catch {
    // fall through to the one error below
  }
  throw new BadRequestError(apiMessage('cursorUnknown'));
}

export function checkPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new BadRequestError(apiMessage('paramBetween', { name: 'Limit', min: '1', max: String(MAX_PAGE_LIMIT) }));
  }
}

// ---------------------------------------------------------------------------------------------

function whereFor(scope: JobScope, filter: JobFilter, params: SqlParams, now: number): { parts: string[]; regexes: string[] } {
  const parts = accountScopeSqlParts(scope, (v) => params.add(v, 'text'), 'j');
  let regexes: string[] = [];
  switch (filter.kind) {
    case 'all':
      break;
    case 'search': {
      const compiled = compileSearchClause(filter.clause, params, { now });
      if (compiled.sql !== 'TRUE') parts.push(`(${compiled.sql})`);
      regexes = compiled.regexes;
      break;
    }
    case 'range':
      if (filter.start === 0 && filter.end === 0) parts.push(`j."endTime" = 0`);
      else {
        const a = params.add(String(filter.start), 'bigint');
        const b = params.add(String(filter.end), 'bigint');
        parts.push(`(j."startTime" BETWEEN ${a} AND ${b} OR j."endTime" BETWEEN ${a} AND ${b})`);
      }
      break;
    case 'recent': {
      const since = params.add(String(filter.since), 'bigint');
      parts.push(`(j."endTime" = 0 OR j."startTime" >= ${since} OR j."endTime" >= ${since})`);
      break;
    }
  }
  return { parts, regexes };
}

/** SELECT of BackupJobDetail columns; with a page, fetches limit + 1 rows so the caller knows if more follow. */
export function buildJobListQuery(opts: { scope: JobScope; filter: JobFilter; page?: JobPage; now: number }): BuiltQuery {
  const params = new SqlParams();
  const { parts, regexes } = whereFor(opts.scope, opts.filter, params, opts.now);
  let tail = '';
  const desc = Boolean(opts.page?.newestFirst);
  if (opts.page) {
    checkPageLimit(opts.page.limit);
    if (opts.page.cursor) {
      const c = decodeJobCursor(opts.page.cursor);
      if (Boolean(c.newestFirst) !== desc) throw new BadRequestError(apiMessage('cursorOtherOrder'));
      parts.push(`(j."startTime", j."id") ${desc ? '<' : '>'} (${params.add(c.startTime.toString(), 'bigint')}, ${params.add(c.id, 'text')})`);
    }
    tail = ` LIMIT ${params.add(opts.page.limit + 1, 'int')}`;
  }
  const where = parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
  const order = desc ? ` ORDER BY j."startTime" DESC, j."id" DESC` : ` ORDER BY j."startTime", j."id"`;
  return { text: `SELECT ${SELECT_LIST} FROM "Job" AS j${where}${order}${tail}`, values: params.values, regexes };
}

export function buildJobCountQuery(opts: { scope: JobScope; filter: JobFilter; now: number }): BuiltQuery {
  const params = new SqlParams();
  const { parts, regexes } = whereFor(opts.scope, opts.filter, params, opts.now);
  const where = parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
  return { text: `SELECT count(*) AS "count" FROM "Job" AS j${where}`, values: params.values, regexes };
}

/** Splits a limit + 1 fetch into the page and the cursor of the next one (undefined on the last page). */
export function pageOf<R extends { id: string; startTime: bigint | number | string }>(rows: R[], page: JobPage | undefined): { rows: R[]; nextCursor?: string } {
  if (!page || rows.length <= page.limit) return { rows };
  const kept = rows.slice(0, page.limit);
  const last = kept[kept.length - 1];
  return { rows: kept, nextCursor: encodeJobCursor({ startTime: BigInt(last.startTime), id: last.id, newestFirst: page.newestFirst }) };
}
