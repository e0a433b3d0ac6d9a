// compileSearchClause: every Comet operator, nesting, the errors, and that values only ever travel as
// bind parameters. (What the SQL selects on real rows is checked over HTTP in
// tests/integration/job-search.test.ts.)
import { describe, expect, it } from 'vitest';
import { SEARCHOPERATOR } from '../../lib/comet/constants';
import { BadRequestError } from '../../lib/errors';
import { buildJobCountQuery, buildJobListQuery, decodeJobCursor, encodeJobCursor } from '../../lib/backup-jobs/job-query';
import { compileSearchClause, SEARCH_OPERATORS, SqlParams, type SearchClause } from '@/lib/job-search/compile-search-clause';
import { SEARCH_FIELDS } from '@/lib/job-search/fields';

const NOW = 1_800_000_000;
const rule = (RuleField: string, RuleOperator: string, RuleValue: string): SearchClause => ({ ClauseType: '', RuleField, RuleOperator, RuleValue });
const compile = (c: SearchClause) => {
  const params = new SqlParams();
  const out = compileSearchClause(c, params, { now: NOW });
  return { sql: out.sql, values: params.values, regexes: out.regexes };
};
const fails = (c: unknown, message: RegExp) => {
  let err: unknown;
  try {
    compile(c as SearchClause);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(BadRequestError);
  expect((err as BadRequestError).status).toBe(400);
  expect((err as Error).message).toMatch(message);
};

describe('operators', () => {
  it('knows exactly the operators of constants.json', () => {
    expect([...SEARCH_OPERATORS].sort()).toEqual(Object.values(SEARCHOPERATOR).sort());
  });

  const U = 'BackupJobDetail.Username';
  it.each([
    ['str_eq', `j."username" = $1::text`, 'alice'],
    ['str_neq', `j."username" <> $1::text`, 'alice'],
    ['str_eq_ci', `lower(j."username") = lower($1::text)`, 'alice'],
    ['str_neq_ci', `lower(j."username") <> lower($1::text)`, 'alice'],
    ['str_contains', `j."username" LIKE $1::text ESCAPE '!'`, '%alice%'],
    ['str_ncontains', `NOT (j."username" LIKE $1::text ESCAPE '!')`, '%alice%'],
    ['str_contains_ci', `j."username" ILIKE $1::text ESCAPE '!'`, '%alice%'],
    ['str_ncontains_ci', `NOT (j."username" ILIKE $1::text ESCAPE '!')`, '%alice%'],
    ['str_startswith', `j."username" LIKE $1::text ESCAPE '!'`, 'alice%'],
    ['str_nstartswith', `NOT (j."username" LIKE $1::text ESCAPE '!')`, 'alice%'],
    ['str_startswith_ci', `j."username" ILIKE $1::text ESCAPE '!'`, 'alice%'],
    ['str_nstartswith_ci', `NOT (j."username" ILIKE $1::text ESCAPE '!')`, 'alice%'],
    ['str_endswith', `j."username" LIKE $1::text ESCAPE '!'`, '%alice'],
    ['str_nendswith', `NOT (j."username" LIKE $1::text ESCAPE '!')`, '%alice'],
    ['str_endswith_ci', `j."username" ILIKE $1::text ESCAPE '!'`, '%alice'],
    ['str_nendswith_ci', `NOT (j."username" ILIKE $1::text ESCAPE '!')`, '%alice'],
    ['str_regexmatch', `j."username" ~ $1::text`, 'alice'],
    ['str_nregexmatch', `j."username" !~ $1::text`, 'alice'],
  ])('%s', (op, sql, value) => {
    expect(compile(rule(U, op, 'alice'))).toEqual({ sql, values: [value], regexes: op.includes('regex') ? ['alice'] : [] });
  });

  it.each([
    ['int_eq', '='],
    ['int_neq', '<>'],
    ['int_gt', '>'],
    ['int_gte', '>='],
    ['int_lt', '<'],
    ['int_lte', '<='],
  ])('%s', (op, sym) => {
    expect(compile(rule('BackupJobDetail.TotalSize', op, '1024'))).toEqual({ sql: `j."totalSize" ${sym} $1::bigint`, values: ['1024'], regexes: [] });
  });

  it.each([
    ['bool_is', 'true', '=', true],
    ['bool_is', '0', '=', false],
    ['bool_nis', 'True', '<>', true],
    ['bool_nis', 'f', '<>', false],
  ])('%s %s', (op, value, sym, bound) => {
    expect(compile(rule('Halley.IsFailed', op, value))).toEqual({ sql: `(j."status" BETWEEN 7000 AND 7999) ${sym} $1::boolean`, values: [bound], regexes: [] });
  });

  it('escapes LIKE wildcards in the value instead of interpreting them', () => {
    expect(compile(rule(U, 'str_contains', '50%_off!')).values).toEqual(['%50!%!_off!!%']);
  });

  it('string operators on integer fields compare the decimal text', () => {
    expect(compile(rule('BackupJobDetail.Status', 'str_startswith', '70'))).toEqual({ sql: `(j."status")::text LIKE $1::text ESCAPE '!'`, values: ['70%'], regexes: [] });
  });

  it('relative fields become a range on the column (index-friendly)', () => {
    // "started more than a day ago" = StartTime < now - 86400
    expect(compile(rule('BackupJobDetail.TimeSinceJobStart', 'int_gt', '86400'))).toEqual({ sql: `j."startTime" < $1::bigint`, values: [String(NOW - 86400)], regexes: [] });
    expect(compile(rule('BackupJobDetail.TimeSinceJobStart', 'int_lte', '3600')).sql).toBe(`j."startTime" >= $1::bigint`);
    expect(compile(rule('BackupJobDetail.TimeSinceJobEnd', 'int_lt', '60'))).toEqual({ sql: `j."endTime" > $1::bigint`, values: [String(NOW - 60)], regexes: [] });
    expect(compile(rule('BackupJobDetail.TimeSinceJobEnd', 'int_eq', '0')).sql).toBe(`j."endTime" = $1::bigint`);
    expect(compile(rule('BackupJobDetail.TimeSinceJobEnd', 'int_neq', '0')).sql).toBe(`j."endTime" <> $1::bigint`);
    expect(compile(rule('BackupJobDetail.TimeSinceJobEnd', 'int_gte', '5')).sql).toBe(`j."endTime" <= $1::bigint`);
  });

  it('maps the top-level organization "" to its tenant id', () => {
    expect(compile(rule('Halley.OrganizationID', 'str_eq', '')).values).toEqual(['00000000-0000-0000-0000-000000000000']);
  });

  it('every field compiles with an operator of its kind', () => {
    for (const [name, f] of Object.entries(SEARCH_FIELDS)) {
      const op = f.kind === 'string' ? 'str_eq' : f.kind === 'int' ? 'int_gte' : 'bool_is';
      const value = f.kind === 'bool' ? 'true' : '1';
      expect(() => compile(rule(name, op, value)), name).not.toThrow();
    }
  });
});

describe('clause types and nesting', () => {
  const a = rule('BackupJobDetail.Status', 'int_eq', '7001');
  const b = rule('BackupJobDetail.Username', 'str_eq', 'bob');
  it('and / or / not_and / not_or', () => {
    expect(compile({ ClauseType: 'and', ClauseChildren: [a, b] }).sql).toBe(`(j."status" = $1::bigint) AND (j."username" = $2::text)`);
    expect(compile({ ClauseType: 'or', ClauseChildren: [a, b] }).sql).toBe(`(j."status" = $1::bigint) OR (j."username" = $2::text)`);
    expect(compile({ ClauseType: 'not_and', ClauseChildren: [a, b] }).sql).toBe(`NOT ((j."status" = $1::bigint) AND (j."username" = $2::text))`);
    expect(compile({ ClauseType: 'not_or', ClauseChildren: [a, b] }).sql).toBe(`NOT ((j."status" = $1::bigint) OR (j."username" = $2::text))`);
  });

  it('empty groups: and/not_or match everything, or/not_and nothing; null children count as empty', () => {
    expect(compile({ ClauseType: 'and', ClauseChildren: [] }).sql).toBe('TRUE');
    expect(compile({ ClauseType: 'and', ClauseChildren: null }).sql).toBe('TRUE');
    expect(compile({ ClauseType: 'or' }).sql).toBe('FALSE');
    expect(compile({ ClauseType: 'not_and' }).sql).toBe('FALSE');
    expect(compile({ ClauseType: 'not_or' }).sql).toBe('TRUE');
  });

  it('nests and numbers parameters in order', () => {
    const c: SearchClause = {
      ClauseType: 'and',
      ClauseChildren: [
        rule('BackupJobDetail.TimeSinceJobStart', 'int_lt', '604800'),
        { ClauseType: 'or', ClauseChildren: [a, { ClauseType: 'not_or', ClauseChildren: [b, rule('BackupJobDetail.ClientVersion', 'str_regexmatch', '^25\\.')] }] },
      ],
    };
    const out = compile(c);
    expect(out.sql).toBe(`(j."startTime" > $1::bigint) AND ((j."status" = $2::bigint) OR (NOT ((j."username" = $3::text) OR (j."clientVersion" ~ $4::text))))`);
    expect(out.values).toEqual([String(NOW - 604800), '7001', 'bob', '^25\\.']);
    expect(out.regexes).toEqual(['^25\\.']);
  });

  it('limits depth and size', () => {
    let deep: SearchClause = a;
    for (let i = 0; i < 40; i++) deep = { ClauseType: 'and', ClauseChildren: [deep] };
    fails(deep, /nested deeper/);
    fails({ ClauseType: 'or', ClauseChildren: Array.from({ length: 1001 }, () => a) }, /more than 1000/);
  });
});

describe('errors are clear 400s', () => {
  it('unknown field, operator, clause type', () => {
    fails(rule('BackupJobDetail.Nope', 'str_eq', 'x'), /Unknown search field "BackupJobDetail.Nope"/);
    fails(rule('BackupJobDetail.Username', 'str_like', 'x'), /Unknown search operator "str_like"/);
    fails({ ClauseType: 'xor', ClauseChildren: [] }, /Unknown search clause type "xor"/);
    fails(rule('', 'str_eq', 'x'), /Unknown search field ""/);
  });

  it('values of the wrong kind', () => {
    fails(rule('BackupJobDetail.TotalSize', 'int_gt', 'ten'), /int_gt needs an integer value/);
    fails(rule('BackupJobDetail.TotalSize', 'int_gt', '1.5'), /needs an integer/);
    fails(rule('BackupJobDetail.TotalSize', 'int_gt', '99999999999999999999'), /integer|range/);
    fails(rule('BackupJobDetail.TotalSize', 'int_gt', '9223372036854775808'), /int64 range/);
    fails(rule('Halley.IsRunning', 'bool_is', 'yes'), /true\/false or 1\/0/);
  });

  it('operators that do not fit the field', () => {
    fails(rule('BackupJobDetail.Username', 'int_eq', '1'), /integer fields only/);
    fails(rule('BackupJobDetail.Username', 'bool_is', 'true'), /boolean fields only/);
    fails(rule('Halley.IsRunning', 'str_eq', 'true'), /does not apply to a boolean field/);
    fails(rule('BackupJobDetail.TimeSinceJobStart', 'str_eq', '1'), /int_\* operators only/);
  });

  it('non-object clauses and children', () => {
    fails({ ClauseType: 'and', ClauseChildren: [null] }, /must be an object/);
    fails({ ClauseType: 'and', ClauseChildren: 'x' }, /ClauseChildren must be an array/);
    fails({ ClauseType: '', RuleField: 5, RuleOperator: 'str_eq', RuleValue: 'x' }, /must be strings/);
  });
});

describe('injection attempts stay data', () => {
  const nasty = [`'; DROP TABLE "Job"; --`, `x' OR '1'='1`, `$$ OR TRUE $$`, `\\'`, `"); SELECT pg_sleep(10); --`, `\u0000`];
  it.each(nasty)('value %j is a parameter, never SQL text', (v) => {
    for (const op of ['str_eq', 'str_contains_ci', 'str_regexmatch', 'str_nendswith']) {
      const out = compile(rule('BackupJobDetail.Username', op, v));
      expect(out.sql).not.toContain(v);
      expect(out.sql).toMatch(/^(NOT \()?(lower\()?j\."username"/);
      expect(JSON.stringify(out.values)).toContain(JSON.stringify(v).slice(1, -1).slice(0, 3));
    }
  });

  it('field names and operators outside the whitelist are refused, not quoted', () => {
    fails(rule(`BackupJobDetail.Username" OR 1=1 --`, 'str_eq', 'x'), /Unknown search field/);
    fails(rule('constructor', 'str_eq', 'x'), /Unknown search field/);
    fails(rule('__proto__', 'str_eq', 'x'), /Unknown search field/);
    fails(rule('BackupJobDetail.Username', `= 'x' OR TRUE --`, 'x'), /Unknown search operator/);
    fails(rule('BackupJobDetail.Username', 'toString', 'x'), /Unknown search operator/);
    fails({ ClauseType: `and) OR (TRUE` }, /Unknown search clause type/);
  });

  it('int values are validated before they are bound', () => {
    fails(rule('BackupJobDetail.Status', 'int_eq', '7001 OR 1=1'), /needs an integer/);
  });
});

describe('job list SQL', () => {
  it('puts the tenant scope first, then the clause, the keyset and the limit', () => {
    const cursor = encodeJobCursor({ startTime: 1_700_000_000n, id: 'job-9' });
    const q = buildJobListQuery({
      scope: { tenantId: 'tenant-1' },
      filter: { kind: 'search', clause: rule('BackupJobDetail.Status', 'int_gte', '7000') },
      page: { limit: 50, cursor },
      now: NOW,
    });
    expect(q.text).toMatch(/ FROM "Job" AS j WHERE j\."tenantId" = \$1::text AND \(j\."status" >= \$2::bigint\) AND \(j\."startTime", j\."id"\) > \(\$3::bigint, \$4::text\) ORDER BY j\."startTime", j\."id" LIMIT \$5::int$/);
    expect(q.values).toEqual(['tenant-1', '7000', '1700000000', 'job-9', 51]);
  });

  it('newest first (console): reversed order and keyset; a cursor of the other order is refused', () => {
    const cursor = encodeJobCursor({ startTime: 5n, id: 'j', newestFirst: true });
    const q = buildJobListQuery({ scope: {}, filter: { kind: 'all' }, page: { limit: 10, cursor, newestFirst: true }, now: NOW });
    expect(q.text).toMatch(/WHERE \(j\."startTime", j\."id"\) < \(\$1::bigint, \$2::text\) ORDER BY j\."startTime" DESC, j\."id" DESC LIMIT \$3::int$/);
    expect(() => buildJobListQuery({ scope: {}, filter: { kind: 'all' }, page: { limit: 10, cursor }, now: NOW })).toThrow(/other order/);
  });

  it('date range: started or ended inside; 0,0 = not finished', () => {
    expect(buildJobListQuery({ scope: {}, filter: { kind: 'range', start: 10, end: 20 }, now: NOW }).text).toContain(
      `WHERE (j."startTime" BETWEEN $1::bigint AND $2::bigint OR j."endTime" BETWEEN $1::bigint AND $2::bigint)`,
    );
    expect(buildJobListQuery({ scope: {}, filter: { kind: 'range', start: 0, end: 0 }, now: NOW }).text).toContain(`WHERE j."endTime" = 0 ORDER BY`);
  });

  it('count query shares the WHERE', () => {
    const q = buildJobCountQuery({ scope: { tenantId: 't', accountId: 'a' }, filter: { kind: 'search', clause: { ClauseType: 'and' } }, now: NOW });
    expect(q.text).toBe(`SELECT count(*) AS "count" FROM "Job" AS j WHERE j."tenantId" = $1::text AND j."accountId" = $2::text`);
  });

  it('cursors round-trip and bad ones are a 400', () => {
    expect(decodeJobCursor(encodeJobCursor({ startTime: -5n, id: 'a"b' }))).toEqual({ startTime: -5n, id: 'a"b' });
    for (const bad of ['', 'xyz', Buffer.from('[2,"1","a"]').toString('base64url'), Buffer.from('[1,"1 OR 1","a"]').toString('base64url')]) {
      expect(() => decodeJobCursor(bad)).toThrow(/Cursor/);
    }
    expect(() => buildJobListQuery({ scope: {}, filter: { kind: 'all' }, page: { limit: 0 }, now: NOW })).toThrow(/Limit/);
    expect(() => buildJobListQuery({ scope: {}, filter: { kind: 'all' }, page: { limit: 10_001 }, now: NOW })).toThrow(/Limit/);
  });
});
