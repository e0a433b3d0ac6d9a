// admin/storage/list-buckets is written row by row from one raw statement (lib/storage/list-buckets.ts): the
// bytes must be exactly what the whole-object answer was (JSON.stringify of { BucketID: bucketToWire(row) }
// from one findMany ordered by id), with and without gzip, with array-index bucket ids (which a JavaScript
// object lists first), for a tenant admin (own buckets only) and the top-level admin.
import { randomInt } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, db } from '../../lib/db/client';
import { BUCKET_SELECT, bucketToWire } from '../../lib/storage/bucket-dto';
import { TOP_LEVEL_TENANT_ID } from '../../lib/tenancy/actor';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, rootClient, uniq, ROOT } from '../helpers/fixtures';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

afterAll(() => closeDb());

const LIST = '/api/v1/admin/storage/list-buckets';

/** The answer as it was before: one findMany, one object, one JSON.stringify. */
async function wholeObjectAnswer(tenantId?: string): Promise<string> {
  const rows = await db().storageBucket.findMany({ where: tenantId ? { tenantId } : {}, select: BUCKET_SELECT, orderBy: { id: 'asc' } });
  const out: Record<string, unknown> = {};
  for (const row of rows) out[row.id] = bucketToWire(row);
  return JSON.stringify(out);
}

async function post(creds: CometClient['creds'], acceptEncoding: string) {
  const { username, password } = creds as { username: string; password: string };
  const res = await fetch(new URL(LIST, halleyUrl()), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-encoding': acceptEncoding },
    body: new URLSearchParams({ Username: username, AuthType: 'Password', Password: password }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('list-buckets as a stream', () => {
  it('writes the same bytes as the whole-object answer, gzipped or not, for tenant and top-level admins', async () => {
    const t = await makeTenant('buckets');
    const other = await makeTenant('buckets-other');
    const prefix = uniq('bkt');
    // Enough buckets for an answer over the 64 KiB read before the headers (then chunked, gzipped on request).
    await sql(
      `INSERT INTO "StorageBucket" (id, "tenantId", "keyHash", "createdAt", "sizeBytes", "measureStarted", "measureCompleted")
       SELECT $1 || '-' || lpad(g::text, 4, '0') || CASE WHEN g % 5 = 0 THEN 'Ä "q"' ELSE '' END, $2, 'x',
              timestamp '2026-01-01 00:00:00.999' + g * interval '1 hour 1.5 second', g::bigint * 1099511627776, 1700000000 + g, CASE WHEN g % 2 = 0 THEN 0 ELSE 1700000100 + g END
       FROM generate_series(1, 600) g`,
      [prefix, t.id],
    );
    // Array-index ids (an object lists them first, in numeric order) and look-alikes that are not.
    const base = randomInt(1_000_000, 2_000_000_000);
    const indexIds = [String(base + 7), String(base), String(base + 123_456)];
    const notIndex = [`0${base}`, String(10_000_000_000 + base), `${base}.5`, `-${base}`];
    for (const id of [...indexIds, ...notIndex]) await sql(`INSERT INTO "StorageBucket" (id, "tenantId", "keyHash") VALUES ($1, $2, 'x')`, [id, t.id]);
    await sql(`INSERT INTO "StorageBucket" (id, "tenantId", "keyHash") VALUES ($1, $2, 'x')`, [`${prefix}-foreign`, other.id]);

    const expected = await wholeObjectAnswer(t.id);
    const keys = Object.keys(JSON.parse(expected));
    expect(keys.length).toBe(600 + indexIds.length + notIndex.length);
    expect(keys.slice(0, 3)).toEqual([...indexIds].sort((a, b) => Number(a) - Number(b)));
    expect(expected.length).toBeGreaterThan(64 * 1024);

    const plain = await post(t.admin.creds, 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.text).toBe(expected);
    const zipped = await post(t.admin.creds, 'gzip');
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.text).toBe(expected);
    expect(zipped.text).not.toContain(`${prefix}-foreign`);

    // The top-level admin: every bucket on the node, top-level ones with an empty OrganizationID.
    await rootClient();
    const all = await post({ username: ROOT.username, password: ROOT.password } as CometClient['creds'], 'identity');
    expect(all.text).toBe(await wholeObjectAnswer());
    expect(all.text).toContain(`"${prefix}-foreign"`);
    expect(TOP_LEVEL_TENANT_ID).not.toBe(t.id);

    // A small answer (one tenant's single bucket) still goes out whole with a Content-Length.
    const small = await makeTenant('buckets-small');
    await sql(`INSERT INTO "StorageBucket" (id, "tenantId", "keyHash") VALUES ($1, $2, 'x')`, [`${prefix}-small`, small.id]);
    const one = await post(small.admin.creds, 'gzip');
    expect(one.headers.get('content-length')).not.toBeNull();
    expect(one.text).toBe(await wholeObjectAnswer(small.id));
  });
});
