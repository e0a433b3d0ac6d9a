// Job-history generator for the search benchmark: N jobs over 1,000 tenants and 100,000 devices, written by
// PostgreSQL itself (INSERT ... SELECT FROM generate_series), never through the API.
//
// Layout (deterministic, so every run searches the same data):
// - tenants `bench-t-0000` .. `bench-t-0999`; 50,000 accounts with 2 devices each (100,000 devices);
//   accounts 0-9,999 belong to tenant 0000 (a large MSP: 20 % of all jobs), the rest spread evenly
//   over the other 999 tenants;
// - job g runs on device g % 100,000 and starts (g * 7919) mod one year before T_NOW; 1 in 50 is still
//   running, 1 in 7 failed (7002), 1 in 10 is a restore (4002); client versions 25.9.0-25.9.8; sizes vary;
//   `data` holds Progress and the vault SizeMeasurement objects as Halley stores them.
// The Job indexes are dropped during the load and rebuilt after it (same definitions), then ANALYZE.
import pg from 'pg';

export const BENCH_TENANTS = 1000;
export const BENCH_ACCOUNTS = 50_000;
export const BENCH_DEVICES = 100_000;
export const BIG_TENANT_ACCOUNTS = 10_000;
/** "now" of the generated history (Unix seconds); searches are bounded relative to it. */
export const T_NOW = 1_795_000_000;
export const YEAR = 365 * 86400;

export const benchTenantId = (i: number) => `bench-t-${String(i).padStart(4, '0')}`;

export type JobSeedStats = { jobs: number; tenants: number; accounts: number; devices: number; ms: number; insertMs: number; indexMs: number; tableMB: number; indexMB: number };

export async function seedJobs(databaseUrl: string, jobs: number, say: (m: string) => void = () => {}): Promise<JobSeedStats> {
  const t0 = performance.now();
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`SET maintenance_work_mem = '512MB'`);
    await c.query(
      `INSERT INTO "Tenant" (id, name, hosts, "updatedAt")
       SELECT 'bench-t-' || lpad(i::text, 4, '0'), 'Bench tenant ' || i, '{}', now() FROM generate_series(0, $1::int - 1) i`,
      [BENCH_TENANTS],
    );
    // account a -> tenant: the first BIG_TENANT_ACCOUNTS to tenant 0, the rest round-robin over 1..999
    const tenantOf = (account: string) => `CASE WHEN ${account} < ${BIG_TENANT_ACCOUNTS} THEN 0 ELSE 1 + (${account} % ${BENCH_TENANTS - 1}) END`;
    const tenantOfAccount = tenantOf('a');
    await c.query(
      `INSERT INTO "Account" (id, username, "tenantId", "updatedAt")
       SELECT 'bench-a-' || a, 'bench-user-' || a, 'bench-t-' || lpad((${tenantOfAccount})::text, 4, '0'), now()
       FROM generate_series(0, $1::int - 1) a`,
      [BENCH_ACCOUNTS],
    );
    await c.query(
      `INSERT INTO "Device" (id, "tenantId", "accountId", "deviceId", "friendlyName")
       SELECT 'bench-d-' || d, 'bench-t-' || lpad((${tenantOf('(d / 2)')})::text, 4, '0'), 'bench-a-' || (d / 2),
         'device-' || d, 'PC-' || d
       FROM generate_series(0, $1::int - 1) d`,
      [BENCH_DEVICES],
    );
    const indexes = (await c.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'Job' AND indexname <> 'Job_pkey'`,
    )).rows;
    for (const ix of indexes) await c.query(`DROP INDEX "${ix.indexname}"`);
    const ti = performance.now();
    const batch = 1_000_000;
    for (let from = 1; from <= jobs; from += batch) {
      const to = Math.min(jobs, from + batch - 1);
      // d = device, a = its account; derived columns follow the layout described at the top.
      await c.query(
        `INSERT INTO "Job" (id, "tenantId", "accountId", username, classification, status, "startTime", "endTime", "sourceGuid",
           "destinationGuid", "deviceId", "snapshotId", "clientVersion", "totalDirectories", "totalFiles", "totalSize", "totalChunks",
           "uploadSize", "downloadSize", "destinationSizeStart", "destinationSizeEnd", data, "updatedAt")
         SELECT 'job-' || lpad(g::text, 9, '0'), 'bench-t-' || lpad((${tenantOfAccount})::text, 4, '0'), 'bench-a-' || a, 'bench-user-' || a,
           CASE WHEN g % 10 = 0 THEN 4002 ELSE 4001 END,
           CASE WHEN g % 50 = 0 THEN 6001 WHEN g % 7 = 0 THEN 7002 ELSE 5000 END,
           st, CASE WHEN g % 50 = 0 THEN 0 ELSE st + 60 + g % 3600 END,
           'item-' || (g % 3), 'vault-' || (g % 2), 'device-' || d, CASE WHEN g % 50 = 0 THEN '' ELSE 'snap-' || g END,
           '25.9.' || (g % 9), g % 500, g % 20000, (g % 1000) * 1048576, g % 5000, (g % 100) * 65536, (g % 13) * 4096,
           vs, vs + (g % 100) * 65536,
           jsonb_build_object(
             'Progress', jsonb_build_object('Counter', g % 40, 'SentTime', st + 30, 'RecievedTime', st + 31, 'BytesDone', (g % 100) * 65536,
               'ItemsDone', g % 20000, 'ItemsTotal', g % 20000),
             'DestinationSizeStart', jsonb_build_object('Size', vs, 'MeasureStarted', st, 'MeasureCompleted', st + 2),
             'DestinationSizeEnd', jsonb_build_object('Size', vs + (g % 100) * 65536, 'MeasureStarted', st + 60, 'MeasureCompleted', st + 62)),
           now()
         FROM (SELECT g, g % ${BENCH_DEVICES} AS d, (g % ${BENCH_DEVICES}) / 2 AS a,
                      $1::bigint - (g::bigint * 7919) % ${YEAR} AS st, (g % 997)::bigint * 1073741824 AS vs
               FROM generate_series($2::int, $3::int) g) s`,
        [T_NOW, from, to],
      );
      say(`  ${to.toLocaleString('en-US')} / ${jobs.toLocaleString('en-US')} jobs`);
    }
    const insertMs = performance.now() - ti;
    const tx = performance.now();
    for (const ix of indexes) await c.query(ix.indexdef);
    const indexMs = performance.now() - tx;
    await c.query('ANALYZE');
    const sizes = (await c.query<{ t: string; i: string }>(`SELECT pg_table_size('"Job"') AS t, pg_indexes_size('"Job"') AS i`)).rows[0];
    return {
      jobs,
      tenants: BENCH_TENANTS,
      accounts: BENCH_ACCOUNTS,
      devices: BENCH_DEVICES,
      ms: Math.round(performance.now() - t0),
      insertMs: Math.round(insertMs),
      indexMs: Math.round(indexMs),
      tableMB: Math.round(Number(sizes.t) / 2 ** 20),
      indexMB: Math.round(Number(sizes.i) / 2 ** 20),
    };
  } finally {
    await c.end();
  }
}
