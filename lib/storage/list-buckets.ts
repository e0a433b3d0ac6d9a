// admin/storage/list-buckets (AdminStorageListBuckets): the buckets the admin may see, keyed by BucketID
// (a tenant admin: its organization's; a top-level admin: every bucket on this node).
//
// Streamed as JSON text (ApiReply.jsonStream): one raw statement (bucketListQuery, also what bench/storage.ts
// runs as its baseline) on the pg pool, each row written straight as its `"id":{...}` entry: no Prisma query
// compiler, no model mapping and no object per bucket. The bytes are those JSON.stringify wrote for the whole object (bucketToWire per row):
// array-index ids ("42", a SetBucketValue could make one) first in numeric order, as an object lists them,
// then the rest in PostgreSQL's id order (the order of the former findMany).
import { Prisma } from '../generated/prisma/client';
import { dbPool } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';
import { tenantSql } from '../tenancy/tenant-sql';
import { PASSWORD_FORMAT_HALLEY_SCRYPT } from '../profile/mapper';

/** Text chunks of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

// A JavaScript array index: "0" or no leading zero, at most 2^32 - 2 (lib/json/array-index-key.ts).
const INDEX_KEY = Prisma.sql`(CASE WHEN id ~ '^(0|[1-9][0-9]{0,9})$' THEN id::bigint <= 4294967294 ELSE false END)`;

/** The statement: the caller's buckets (tenantSql), in the order the JSON object lists its keys. */
export function bucketListQuery(actor: AdminActor): Prisma.Sql {
  return Prisma.sql`
    SELECT id, "tenantId", floor(extract(epoch FROM "createdAt"))::float8 AS "createTime", "sizeBytes"::float8 AS size,
           "measureStarted"::float8 AS started, "measureCompleted"::float8 AS completed
    FROM "StorageBucket" WHERE ${tenantSql(actor)}
    ORDER BY ${INDEX_KEY} DESC, CASE WHEN ${INDEX_KEY} THEN id::bigint END, id`;
}

type Row = { id: string; tenantId: string; createTime: number; size: number; started: number; completed: number };

/** `{"<id>":BucketProperties,...}` in chunks (the shape of bucketToWire, lib/storage/bucket-dto.ts). */
export async function listBuckets({ actor }: { actor: AdminActor }): Promise<AsyncIterable<string>> {
  const q = bucketListQuery(actor);
  // Straight to the pg pool: the numbers are float8 and the rest text, so no per-row mapping is needed.
  // tenancy: derived — the statement's tenant condition is tenantSql(actor)
  const { rows } = await dbPool().query<Row>(q.text, q.values);
  return (async function* () {
    let buf = '{';
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const org = r.tenantId === TOP_LEVEL_TENANT_ID ? '' : r.tenantId;
      buf +=
        `${i === 0 ? '' : ','}${JSON.stringify(r.id)}:{"OrganizationID":${JSON.stringify(org)},"CreateTime":${r.createTime},` +
        `"ReadWriteKeyFormat":${PASSWORD_FORMAT_HALLEY_SCRYPT},"ReadWriteKey":"","Size":{"Size":${r.size},"MeasureStarted":${r.started},"MeasureCompleted":${r.completed}}}`;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
    yield `${buf}}`;
  })();
}
