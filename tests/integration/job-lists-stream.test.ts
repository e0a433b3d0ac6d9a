// Job lists without Limit are streamed in keyset pages (lib/backup-jobs/stream-job-pages.ts): the bytes must be
// those of the single-query answer, for more jobs than one page holds, gzipped or not; errors before the first
// byte (a foreign user, a bad clause) stay ordinary {Status, Message} answers.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb } from '../../lib/db/client';
import { listJobsInScope } from '../../lib/backup-jobs/list-jobs';
import { STREAM_PAGE } from '../../lib/backup-jobs/stream-job-pages';
import { makeTenant, makeUser } from '../helpers/fixtures';
import { jobDetail, seedJobs } from '../helpers/jobs';
import { halleyUrl } from '../helpers/server';
import { sql } from '../helpers/security';

afterAll(() => closeDb());

async function post(path: string, creds: { username: string; password?: string }, acceptEncoding: string, extra: Record<string, string> = {}) {
  const body = new URLSearchParams({ Username: creds.username, AuthType: 'Password', Password: creds.password ?? '', ...extra });
  const res = await fetch(new URL(path, halleyUrl()), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-encoding': acceptEncoding },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('job lists without Limit stream', () => {
  it('get-jobs-all, get-jobs-for-user and custom search write the single-query bytes over several pages', async () => {
    const t = await makeTenant('jobstream');
    const other = await makeTenant('jobstream-other');
    const u = await makeUser(t.admin);
    const foreign = await makeUser(other.admin);
    const seed = jobDetail(u.username);
    await seedJobs([seed, jobDetail(foreign.username)]);
    // More jobs than two pages, many with the same StartTime (the GUID breaks the tie across page ends).
    const n = STREAM_PAGE * 2 + 33;
    await sql(
      `INSERT INTO "Job" SELECT (jsonb_populate_record(NULL::"Job", to_jsonb(j) || jsonb_build_object(
         'id', $2 || '-' || lpad(g::text, 5, '0'), 'startTime', j."startTime" - (g % 50), 'status', CASE WHEN g % 7 = 0 THEN 7001 ELSE 5000 END))).*
       FROM "Job" j, generate_series(1, $3::int) g WHERE j.id = $1`,
      [seed.GUID, randomUUID(), n],
    );
    const creds = t.admin.creds!;
    const expected = JSON.stringify((await listJobsInScope({ scope: { tenantId: t.id }, filter: { kind: 'all' } })).jobs);
    expect(JSON.parse(expected)).toHaveLength(n + 1);

    const plain = await post('/api/v1/admin/get-jobs-all', creds, 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-halley-next-cursor')).toBeNull();
    expect(plain.text).toBe(expected);
    const zipped = await post('/api/v1/admin/get-jobs-all', creds, 'gzip');
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.text).toBe(expected);

    expect((await post('/api/v1/admin/get-jobs-for-user', creds, 'gzip', { TargetUser: u.username })).text).toBe(expected);
    const everything = { ClauseType: 'and', ClauseChildren: [] };
    const searchAll = await post('/api/v1/admin/get-jobs-for-custom-search', creds, 'identity', { Query: JSON.stringify(everything) });
    expect(searchAll.text).toBe(expected);

    // Errors before the first byte are ordinary answers; a foreign user looks missing.
    const missing = JSON.parse((await post('/api/v1/admin/get-jobs-for-user', creds, 'gzip', { TargetUser: foreign.username })).text);
    expect(missing.Status).toBe(400);
    const bad = JSON.parse((await post('/api/v1/admin/get-jobs-for-custom-search', creds, 'identity', { Query: '{"Operator":"nope"' })).text);
    expect(bad.Status).toBe(400);
  });
});
