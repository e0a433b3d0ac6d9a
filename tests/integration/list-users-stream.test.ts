// list-users-full is streamed (lib/users/stream-user-profiles.ts + lib/api/json-stream.ts): the bytes must be
// exactly what the whole-object answer was (JSON.stringify of { username: profile } built from one findMany),
// with and without gzip, across many keyset batches, with array-index usernames (which a JavaScript object
// lists first), for a tenant admin (own accounts only) and the top-level admin.
import { randomInt } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb } from '../../lib/db/client';
import { forEachRow } from '../../lib/db/for-each-row';
import { env } from '../../lib/env';
import { accountToProfile, loadAccounts } from '../../lib/users/load-profiles';
import { PROFILE_BATCH } from '../../lib/users/account-batch-query';
import { client, makeTenant, makeUser, rootClient, uniq } from '../helpers/fixtures';
import type { CometClient } from '../helpers/comet-client';
import { sampleProfile } from '../helpers/sample-profile';
import { halleyUrl } from '../helpers/server';
import { sql } from '../helpers/security';

afterAll(() => closeDb());

const LIST = '/api/v1/admin/list-users-full';

/** The answer as it was before streaming: one findMany, one object, one JSON.stringify. */
async function wholeObjectAnswer(tenantId: string): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const a of await loadAccounts({ tenantId })) out[a.username] = accountToProfile(a);
  return JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
}

async function post(creds: CometClient['creds'], acceptEncoding: string) {
  const { username, password } = creds as { username: string; password: string };
  const body = new URLSearchParams({ Username: username, AuthType: 'Password', Password: password });
  const res = await fetch(new URL(LIST, halleyUrl()), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-encoding': acceptEncoding },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('list-users-full streaming', () => {
  it('writes the same bytes as the whole-object answer, over many batches, gzipped or not', async () => {
    const t = await makeTenant('stream');
    const other = await makeTenant('stream-other');
    const foreign = await makeUser(other.admin);
    const withChildren = uniq('prof');
    await t.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: withChildren, ProfileData: sampleProfile(withChildren) });
    const seed = await makeUser(t.admin);
    // Array-index usernames (an object lists them first, in numeric order) and look-alikes that are not.
    const base = randomInt(1_000_000, 2_000_000_000);
    const indexNames = [String(base + 7), String(base), String(base + 123_456)];
    const notIndex = [`0${base}`, String(10_000_000_000 + base), `${base}.5`, `-${base}`];
    for (const name of [...indexNames, ...notIndex]) await t.admin.ok('/api/v1/admin/add-user', { TargetUser: name, TargetPassword: 'pw-index-1' });
    // Enough accounts for several keyset batches and more than the 64 KiB that are read before the headers.
    const clones = PROFILE_BATCH * 2 + 17;
    const prefix = uniq('bulk');
    await sql(
      `INSERT INTO "Account"
       SELECT (jsonb_populate_record(NULL::"Account", to_jsonb(a) || jsonb_build_object(
         'id', gen_random_uuid()::text, 'username', $2 || '-' || lpad(g::text, 4, '0') || CASE WHEN g % 3 = 0 THEN 'Ä' ELSE '' END,
         'accountName', 'Clone "' || g || '" ünïcode \\ \u2028'))).*
       FROM "Account" a, generate_series(1, $3::int) g WHERE a.username = $1`,
      [seed.username, prefix, clones],
    );

    const expected = await wholeObjectAnswer(t.id);
    const keys = Object.keys(JSON.parse(expected));
    expect(keys.length).toBe(clones + 2 + indexNames.length + notIndex.length);
    expect(keys.slice(0, 3)).toEqual([...indexNames].sort((a, b) => Number(a) - Number(b)));
    expect(expected.length).toBeGreaterThan(200 * 1024);

    const plain = await post(t.admin.creds, 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.text).toBe(expected);

    const zipped = await post(t.admin.creds, 'gzip');
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.text).toBe(expected);
    expect(zipped.text).not.toContain(foreign.username);

    // The top-level admin sees this tenant's accounts too, in the same order among the others.
    const root = await rootClient();
    const all = await root.ok(LIST);
    const ours = Object.keys(all).filter((k) => keys.includes(k));
    expect(ours).toEqual(keys);
    expect(Object.keys(all)).toContain(foreign.username);
  });

  it('answers a small list in one piece with a Content-Length, and refuses bad credentials', async () => {
    const t = await makeTenant('stream-small');
    await makeUser(t.admin);
    const r = await post(t.admin.creds, 'gzip');
    expect(r.headers.get('content-encoding')).toBeNull();
    expect(Number(r.headers.get('content-length'))).toBe(Buffer.byteLength(r.text));
    expect(r.text).toBe(await wholeObjectAnswer(t.id));

    const empty = await makeTenant('stream-empty');
    expect((await post(empty.admin.creds, 'identity')).text).toBe('{}');

    const wrong = await client({ username: t.adminName, password: 'not-the-password' }).fails(LIST);
    expect(wrong.Status).toBe(403);
    // A user's credentials are not an admin's.
    const u = await makeUser(t.admin, { password: 'user-pass-1' });
    expect((await client({ username: u.username, password: 'user-pass-1' }).fails(LIST)).Status).toBeGreaterThanOrEqual(400);
  });
});

describe('forEachRow (how the list reads its batches)', () => {
  const SERIES = 'SELECT g FROM generate_series(1, $1::int) g';

  it('hands the rows over in order as they are read, and counts them', async () => {
    const seen: number[] = [];
    expect(await forEachRow<{ g: number }>({ text: SERIES, values: [500] }, (r) => void seen.push(r.g))).toBe(500);
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('fails with the error its handler threw or the statement failed with, and the pool keeps serving', async () => {
    let calls = 0;
    const boom = forEachRow<{ g: number }>({ text: SERIES, values: [50] }, (r) => {
      calls++;
      if (r.g === 10) throw new Error('boom at 10');
    });
    await expect(boom).rejects.toThrow('boom at 10');
    expect(calls).toBe(10); // the rest of the rows were read but not handed over
    await expect(forEachRow({ text: 'SELECT 1 / $1::int AS x', values: [0] }, () => undefined)).rejects.toThrow(/division by zero/);
    for (let i = 0; i < env().HALLEY_DB_POOL_SIZE + 2; i++) expect(await forEachRow({ text: SERIES, values: [3] }, () => undefined)).toBe(3);
  });
});
