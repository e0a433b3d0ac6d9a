// Job history API over HTTP with seeded jobs: Comet shapes, tenant and account scoping, the date-range and
// recent filters, the SearchClause search and count (operators on real rows, errors), Halley's keyset
// paging, job log entries and the plain-text log, and the end-user calls.
import { beforeAll, describe, expect, it } from 'vitest';
import { wireStructFields } from '../../lib/comet/validate';
import { client, makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, nowSeconds, seedJobs, type JobDetail, type LogLine } from '../helpers/jobs';
import { sampleProfile } from '../helpers/sample-profile';

const DAY = 86400;
type World = {
  a: TenantFixture;
  b: TenantFixture;
  a1: { username: string; password: string };
  a2: { username: string; password: string };
  b1: string;
  jobs: Record<'j1' | 'j2' | 'j3' | 'j4' | 'j5' | 'jB', JobDetail>;
  now: number;
};
let w: World;

const rule = (RuleField: string, RuleOperator: string, RuleValue: string | number) => ({ ClauseType: '', RuleField, RuleOperator, RuleValue: String(RuleValue) });
const and = (...ClauseChildren: object[]) => ({ ClauseType: 'and', ClauseChildren });
const or = (...ClauseChildren: object[]) => ({ ClauseType: 'or', ClauseChildren });
const guids = (list: JobDetail[]) => list.map((j) => j.GUID);
const byStart = (...list: JobDetail[]) => guids([...list].sort((x, y) => x.StartTime - y.StartTime || (x.GUID < y.GUID ? -1 : 1)));

beforeAll(async () => {
  await rootClient();
  const a = await makeTenant('jobs-a');
  const b = await makeTenant('jobs-b');
  const a1 = { username: uniq('ja1'), password: 'pw-a1-jobs' };
  const profile = sampleProfile(a1.username);
  await a.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: a1.username, ProfileData: profile });
  await a.admin.ok('/api/v1/admin/reset-user-password', { TargetUser: a1.username, NewPassword: a1.password });
  const a2 = await makeUser(a.admin);
  const b1 = uniq('jb1');
  await b.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: b1, ProfileData: sampleProfile(b1) });

  const now = nowSeconds();
  const jobs = {
    j1: jobDetail(a1.username, { StartTime: now - 3600, EndTime: now - 3000, Tags: 'nightly', TotalSize: 1_000_000 }),
    j2: jobDetail(a1.username, {
      Status: 7002, StartTime: now - 2 * DAY - 100, EndTime: now - 2 * DAY, DeviceID: 'dev-2', SourceGUID: 'item-sql',
      UploadSize: 5_000_000, ClientVersion: '24.12.2', TotalVmCount: 3,
    }),
    j3: jobDetail(a1.username, { Status: 6001, StartTime: now - 600, EndTime: 0, DestinationSizeEnd: undefined, Progress: undefined }),
    j4: jobDetail(a2.username, { Classification: 4002, Status: 7001, StartTime: now - 10 * DAY, EndTime: now - 10 * DAY + 60, DownloadSize: 8_000_000, DeviceID: 'dev-x' }),
    j5: jobDetail(a2.username, { StartTime: now - 30 * DAY, EndTime: now - 30 * DAY + 60, DestinationSizeEnd: { Size: 99_000_000, MeasureStarted: 1, MeasureCompleted: 2 }, BackupRuleGUID: 'rule-1' }),
    jB: jobDetail(b1, { Status: 7002, StartTime: now - DAY, EndTime: now - DAY + 60, Tags: 'tenant-b-secret' }),
  };
  for (const j of Object.values(jobs)) for (const k of Object.keys(j)) if (j[k] === undefined) delete j[k];
  const t = now - 2 * DAY - 100;
  const logs: Record<string, LogLine[]> = {
    [jobs.j2.GUID]: [
      { Time: t, Severity: 'D', Message: 'debug detail' },
      { Time: t + 1, Severity: 'I', Message: 'Starting backup' },
      { Time: t + 2, Severity: 'W', Message: 'File locked: C:\\pagefile.sys' },
      { Time: t + 3, Severity: 'E', Message: 'Upload failed: connection reset' },
    ],
    [jobs.jB.GUID]: [{ Time: t, Severity: 'E', Message: 'tenant-b-secret log line' }],
  };
  await seedJobs(Object.values(jobs), logs);
  w = { a, b, a1, a2, b1, jobs, now };
});

describe('shapes', () => {
  it('get-job-properties answers the BackupJobDetail as seeded, in Go field order', async () => {
    for (const j of [w.jobs.j1, w.jobs.j2, w.jobs.j3, w.jobs.j5]) {
      const r = await w.a.admin.call('/api/v1/admin/get-job-properties', { JobID: j.GUID });
      expect(r.body).toEqual(j);
      const order = wireStructFields('BackupJobDetail')!.map((f) => f.json);
      const keys = Object.keys(r.body);
      expect(keys).toEqual(order.filter((k) => keys.includes(k)));
    }
    // omitempty fields that are empty stay out, as in Go
    const j1 = await w.a.admin.ok('/api/v1/admin/get-job-properties', { JobID: w.jobs.j1.GUID });
    expect('BackupRuleGUID' in j1).toBe(false);
    expect('CancellationID' in j1).toBe(false);
  });

  it('a foreign or missing job id answers the same 404', async () => {
    const foreign = await w.a.admin.fails('/api/v1/admin/get-job-properties', { JobID: w.jobs.jB.GUID });
    const missing = await w.a.admin.fails('/api/v1/admin/get-job-properties', { JobID: 'no-such-job' });
    expect(foreign.Status).toBe(404);
    expect(foreign.Message.replace(w.jobs.jB.GUID, '<id>')).toBe(missing.Message.replace('no-such-job', '<id>'));
  });
});

describe('lists', () => {
  it('get-jobs-all: the tenant admin sees its tenant only, ordered by StartTime; the top-level admin sees both', async () => {
    const { j1, j2, j3, j4, j5, jB } = w.jobs;
    const list = await w.a.admin.ok('/api/v1/admin/get-jobs-all');
    expect(guids(list)).toEqual(byStart(j1, j2, j3, j4, j5));
    // list answers carry the same complete BackupJobDetail objects as get-job-properties
    expect(list).toEqual(byStart(j1, j2, j3, j4, j5).map((g) => Object.values(w.jobs).find((j) => j.GUID === g)));
    const all = guids(await (await rootClient()).ok('/api/v1/admin/get-jobs-all'));
    expect(all).toEqual(expect.arrayContaining([j1.GUID, jB.GUID]));
  });

  it('get-jobs-for-user: own tenant only, a foreign user looks missing', async () => {
    const { j1, j2, j3 } = w.jobs;
    expect(guids(await w.a.admin.ok('/api/v1/admin/get-jobs-for-user', { TargetUser: w.a1.username }))).toEqual(byStart(j1, j2, j3));
    const foreign = await w.a.admin.fails('/api/v1/admin/get-jobs-for-user', { TargetUser: w.b1 });
    const missing = await w.a.admin.fails('/api/v1/admin/get-jobs-for-user', { TargetUser: 'zz-missing' });
    expect(foreign.Message.replace(w.b1, '<u>')).toBe(missing.Message.replace('zz-missing', '<u>'));
  });

  it('get-jobs-for-date-range: started or ended in the range; 0,0 = unfinished jobs', async () => {
    const { j1, j2, j3 } = w.jobs;
    const range = (Start: number, End: number) => w.a.admin.ok('/api/v1/admin/get-jobs-for-date-range', { Start, End });
    expect(guids(await range(w.now - 3 * DAY, w.now))).toEqual(byStart(j1, j2, j3));
    // j2 started before this window and ended inside it
    expect(guids(await range(w.now - 2 * DAY - 50, w.now - 2 * DAY + 50))).toEqual([j2.GUID]);
    expect(guids(await range(0, 0))).toEqual([j3.GUID]);
    expect((await w.a.admin.fails('/api/v1/admin/get-jobs-for-date-range', { Start: 'yesterday', End: 0 })).Status).toBe(400);
  });

  it('get-jobs-recent: running jobs and the last 24 hours', async () => {
    expect(guids(await w.a.admin.ok('/api/v1/admin/get-jobs-recent'))).toEqual(byStart(w.jobs.j1, w.jobs.j3));
  });

  it('paging: Limit + cursor walk the same order without gaps; the last page has no cursor', async () => {
    const full = guids(await w.a.admin.ok('/api/v1/admin/get-jobs-all'));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await w.a.admin.call('/api/v1/admin/get-jobs-all', { Limit: 2, Cursor: cursor });
      expect(Array.isArray(r.body)).toBe(true);
      expect(r.body.length).toBeLessThanOrEqual(2);
      seen.push(...guids(r.body));
      cursor = r.headers.get('x-halley-next-cursor') ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(full);
    // search and date range page the same way
    const first = await w.a.admin.call('/api/v1/admin/get-jobs-for-custom-search', { Query: and(), Limit: 4 });
    expect(guids(first.body)).toEqual(full.slice(0, 4));
    const next = await w.a.admin.call('/api/v1/admin/get-jobs-for-custom-search', { Query: and(), Limit: 4, Cursor: first.headers.get('x-halley-next-cursor')! });
    expect(guids(next.body)).toEqual(full.slice(4));
    expect(next.headers.get('x-halley-next-cursor')).toBeNull();
    expect((await w.a.admin.fails('/api/v1/admin/get-jobs-all', { Limit: 2, Cursor: 'not-a-cursor' })).Message).toMatch(/Cursor/);
    expect((await w.a.admin.fails('/api/v1/admin/get-jobs-all', { Limit: 0 })).Message).toMatch(/Limit/);
  });
});

describe('custom search and count', () => {
  const search = (Query: object) => w.a.admin.ok('/api/v1/admin/get-jobs-for-custom-search', { Query });
  const count = async (Query: object) => (await w.a.admin.ok('/api/v1/admin/count-jobs-for-custom-search', { Query })).Count;

  it('"failed backups in the last 7 days" for the tenant, and its count', async () => {
    const q = and(rule('BackupJobDetail.Classification', 'int_eq', 4001), rule('Halley.IsFailed', 'bool_is', 'true'), rule('BackupJobDetail.TimeSinceJobStart', 'int_lt', 7 * DAY));
    expect(guids(await search(q))).toEqual([w.jobs.j2.GUID]);
    expect(await count(q)).toBe(1);
    // the same search by tenant B's admin finds B's job, never A's
    expect(guids(await w.b.admin.ok('/api/v1/admin/get-jobs-for-custom-search', { Query: q }))).toEqual([w.jobs.jB.GUID]);
  });

  it('operators on real rows', async () => {
    const { j1, j2, j3, j4, j5 } = w.jobs;
    const cases: Array<[object, JobDetail[]]> = [
      [rule('BackupJobDetail.Username', 'str_eq', w.a1.username), [j1, j2, j3]],
      [rule('BackupJobDetail.Username', 'str_eq_ci', w.a1.username.toUpperCase()), [j1, j2, j3]],
      [rule('BackupJobDetail.Username', 'str_neq', w.a1.username), [j4, j5]],
      [rule('BackupJobDetail.DeviceID', 'str_startswith', 'dev-'), [j1, j2, j3, j4, j5]],
      [rule('BackupJobDetail.DeviceID', 'str_nendswith', '1'), [j2, j4]],
      [rule('Halley.DeviceName', 'str_contains_ci', 'office'), [j1, j3]],
      [rule('Halley.DeviceName', 'str_eq', 'SQL01'), [j2]],
      [rule('Halley.ProtectedItemName', 'str_eq', 'SQL Server'), [j2]],
      [rule('Halley.StorageVaultName', 'str_ncontains', 'S3'), [j4, j5]],
      [rule('BackupJobDetail.ClientVersion', 'str_regexmatch', '^24\\.'), [j2]],
      [rule('BackupJobDetail.ClientVersion', 'str_nregexmatch', '^24\\.'), [j1, j3, j4, j5]],
      [rule('BackupJobDetail.Tags', 'str_contains', 'night'), [j1]],
      [rule('BackupJobDetail.UploadSize', 'int_gte', 5_000_000), [j2]],
      [rule('BackupJobDetail.DownloadSize', 'int_gt', 0), [j4]],
      [rule('BackupJobDetail.TotalVmCount', 'int_eq', 3), [j2]],
      [rule('BackupJobDetail.DestinationSizeEnd.Size', 'int_gt', 50_000_000), [j5]],
      [rule('BackupJobDetail.EndTime', 'int_eq', 0), [j3]],
      [rule('BackupJobDetail.TimeSinceJobEnd', 'int_gt', 5 * DAY), [j3, j4, j5]],
      [rule('Halley.IsRunning', 'bool_nis', '1'), [j1, j2, j4, j5]],
      [rule('BackupJobDetail.Status', 'str_startswith', '7'), [j2, j4]],
      [rule('Halley.OrganizationID', 'str_eq', w.b.id), []],
      [or(rule('BackupJobDetail.Classification', 'int_eq', 4002), and(rule('BackupJobDetail.Status', 'int_eq', 6001))), [j3, j4]],
      [{ ClauseType: 'not_or', ClauseChildren: [rule('BackupJobDetail.Status', 'int_eq', 5000), rule('BackupJobDetail.Status', 'int_eq', 6001)] }, [j2, j4]],
      [{ ClauseType: 'not_and', ClauseChildren: [rule('BackupJobDetail.Status', 'int_eq', 5000), rule('BackupJobDetail.DeviceID', 'str_eq', 'dev-1')] }, [j2, j3, j4]],
      [rule('BackupJobDetail.Username', 'str_eq', `x' OR '1'='1`), []],
    ];
    for (const [q, expected] of cases) {
      expect(guids(await search(q)), JSON.stringify(q)).toEqual(byStart(...expected));
      expect(await count(q), JSON.stringify(q)).toBe(expected.length);
    }
  });

  it('bad input is a clear 400 for both search and count', async () => {
    const bad: Array<[object, RegExp]> = [
      [rule('BackupJobDetail.Nope', 'str_eq', 'x'), /Unknown search field/],
      [rule('BackupJobDetail.Username', 'str_like', 'x'), /Unknown search operator/],
      [rule('BackupJobDetail.TotalSize', 'int_gt', 'big'), /needs an integer/],
      [rule('BackupJobDetail.Username', 'str_regexmatch', '(unclosed'), /Invalid regular expression/],
      [rule('BackupJobDetail.Username', 'str_nregexmatch', 'a{3,2}'), /Invalid regular expression/],
      [{ ClauseType: 'xor' }, /Unknown search clause type/],
    ];
    for (const path of ['/api/v1/admin/get-jobs-for-custom-search', '/api/v1/admin/count-jobs-for-custom-search']) {
      for (const [q, message] of bad) {
        const r = await w.a.admin.fails(path, { Query: q });
        expect(r.Status, JSON.stringify(q)).toBe(400);
        expect(r.Message).toMatch(message);
      }
      expect((await w.a.admin.fails(path, { Query: '{not json' })).Status).toBe(400);
    }
  });
});

describe('job logs', () => {
  it('get-job-log-entries with MinSeverity and MessageContains', async () => {
    const JobID = w.jobs.j2.GUID;
    const all = await w.a.admin.ok('/api/v1/admin/get-job-log-entries', { JobID });
    expect(all.map((e: { Severity: string }) => e.Severity)).toEqual(['D', 'I', 'W', 'E']);
    expect(all[1]).toEqual({ Time: w.now - 2 * DAY - 99, Severity: 'I', Message: 'Starting backup' });
    const warn = await w.a.admin.ok('/api/v1/admin/get-job-log-entries', { JobID, MinSeverity: 'W' });
    expect(warn.map((e: { Severity: string }) => e.Severity)).toEqual(['W', 'E']);
    const contains = await w.a.admin.ok('/api/v1/admin/get-job-log-entries', { JobID, MessageContains: 'failed' });
    expect(contains.map((e: { Message: string }) => e.Message)).toEqual(['Upload failed: connection reset']);
    // % and _ are plain characters, not wildcards
    expect(await w.a.admin.ok('/api/v1/admin/get-job-log-entries', { JobID, MessageContains: 'Upload%reset' })).toEqual([]);
    expect((await w.a.admin.ok('/api/v1/admin/get-job-log-entries', { JobID, MessageContains: 'pagefile.sys' })).length).toBe(1);
    expect((await w.a.admin.fails('/api/v1/admin/get-job-log-entries', { JobID, MinSeverity: 'Z' })).Status).toBe(400);
    expect(await w.a.admin.ok('/api/v1/admin/get-job-log-entries', { JobID: w.jobs.j1.GUID })).toEqual([]);
  });

  it('get-job-log answers plain text; a foreign job is a JSON 404 (on the HTTP line too) like a missing one', async () => {
    const r = await w.a.admin.call('/api/v1/admin/get-job-log', { JobID: w.jobs.j2.GUID });
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const lines = r.text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d E Upload failed: connection reset$/);
    expect((await w.a.admin.call('/api/v1/admin/get-job-log', { JobID: w.jobs.jB.GUID })).http).toBe(404);
    const foreign = await w.a.admin.fails('/api/v1/admin/get-job-log', { JobID: w.jobs.jB.GUID });
    const missing = await w.a.admin.fails('/api/v1/admin/get-job-log', { JobID: 'no-such-job' });
    expect(foreign.Status).toBe(404);
    expect(foreign.Message.replace(w.jobs.jB.GUID, '<id>')).toBe(missing.Message.replace('no-such-job', '<id>'));
    expect(foreign.Message).not.toContain('tenant-b-secret');
  });
});

describe('end-user (user/web) job calls see their own account only', () => {
  it('get-jobs, search, properties, log entries, log', async () => {
    const me = client(w.a1);
    const { j1, j2, j3, j4 } = w.jobs;
    expect(guids(await me.ok('/api/v1/user/web/get-jobs'))).toEqual(byStart(j1, j2, j3));
    expect(guids(await me.ok('/api/v1/user/web/get-jobs-for-custom-search', { Query: rule('Halley.IsFailed', 'bool_is', 'true') }))).toEqual([j2.GUID]);
    expect(await me.ok('/api/v1/user/web/get-job-properties', { JobID: j1.GUID })).toEqual(j1);
    expect((await me.ok('/api/v1/user/web/get-job-log-entries', { JobID: j2.GUID, MinSeverity: 'E' })).length).toBe(1);
    expect((await me.call('/api/v1/user/web/get-job-log', { JobID: j2.GUID })).text).toContain('Starting backup');
    // another account's job in the same tenant, and another tenant's job, look missing
    for (const other of [j4.GUID, w.jobs.jB.GUID]) {
      const r = await me.fails('/api/v1/user/web/get-job-properties', { JobID: other });
      expect(r.Status).toBe(404);
      expect((await me.fails('/api/v1/user/web/get-job-log', { JobID: other })).Status).toBe(404);
    }
    const paged = await me.call('/api/v1/user/web/get-jobs', { Limit: 2 });
    expect(guids(paged.body)).toEqual(byStart(j1, j2, j3).slice(0, 2));
    expect(paged.headers.get('x-halley-next-cursor')).toBeTruthy();
  });
});
