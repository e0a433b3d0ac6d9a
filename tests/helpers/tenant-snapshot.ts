// Everything a tenant owns in the database, as one comparable value: every table with a "tenantId"
// column (found in the schema, so a model added later is covered without touching this file), plus the
// tenant's own row and the rows hanging off its admins and accounts. Columns that change when nothing
// was changed (sign-in bookkeeping) are left out. The Event outbox is append-only and compared apart:
// a refused call may log a failed sign-in, never change an object.
import { sql } from './security';

const VOLATILE = ['lastLoginAt', 'updatedAt', 'lastUsedAt'];
/**
 * Tenant-owned tables that are logs rather than objects: the outbox (see above), the delivery logs of webhooks
 * and report emails, and the usage ledger (derived daily roll-ups), which the workers advance on their own schedule.
 */
export const LOGS = new Set(['Event', 'WebhookDelivery', 'EmailDelivery', 'UsageTenantDay', 'UsageAccountDay', 'UsageDeviceDay', 'UsageVaultDay']);
/** Child tables without their own tenantId, reached through their parent's. */
const CHILDREN: Array<{ table: string; parentTable: string; fk: string }> = [
  { table: 'AdminWebAuthnCredential', parentTable: 'AdminUser', fk: 'adminId' },
  { table: 'AdminRecoveryCode', parentTable: 'AdminUser', fk: 'adminId' },
  { table: 'WebAuthnChallenge', parentTable: 'AdminUser', fk: 'adminId' },
  { table: 'JobLogEntry', parentTable: 'Job', fk: 'jobId' },
];

let tables: Promise<string[]> | undefined;
function tenantTables(): Promise<string[]> {
  tables ??= sql<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'tenantId' ORDER BY table_name`,
  ).then((rows) => rows.map((r) => r.table_name));
  return tables;
}

const rowText = (alias: string) => `to_jsonb(${alias}) - ARRAY[${VOLATILE.map((c) => `'${c}'`).join(', ')}]::text[]`;

/** A digest per table of the tenant's rows (and the names of the tables it covered). */
export async function tenantDbSnapshot(tenantId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const [tenant] = await sql(`SELECT md5((${rowText('t')})::text) AS d FROM "Tenant" t WHERE id = $1`, [tenantId]);
  out.Tenant = tenant?.d ?? 'missing';
  for (const table of await tenantTables()) {
    // A partitioned log's monthly partitions ("UsageAccountDay_p202612") are logs too.
    if (LOGS.has(table.replace(/_p\d{6}$/, ''))) continue;
    const [r] = await sql(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg((${rowText('t')})::text, '|' ORDER BY (${rowText('t')})::text)), '') AS d FROM "${table}" t WHERE "tenantId" = $1`,
      [tenantId],
    );
    out[table] = `${r.n}:${r.d}`;
  }
  for (const c of CHILDREN) {
    const [r] = await sql(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg((${rowText('t')})::text, '|' ORDER BY (${rowText('t')})::text)), '') AS d
         FROM "${c.table}" t JOIN "${c.parentTable}" p ON p.id = t."${c.fk}" WHERE p."tenantId" = $1`,
      [tenantId],
    );
    out[c.table] = `${r.n}:${r.d}`;
  }
  return out;
}

/** Tables that belong to no tenant (server-wide state), and Prisma's own. */
export const GLOBAL_TABLES = new Set(['ServerSetting', 'LoginFailure', 'OutboxCursor', '_prisma_migrations', 'Campaign', 'SelfBackupRun', 'OrganizationImport']);

/** Every table of the schema that the snapshot neither covers nor classifies (should be none). */
export async function unclassifiedTables(): Promise<string[]> {
  const all = await sql<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
  const known = new Set(['Tenant', ...(await tenantTables()), ...CHILDREN.map((c) => c.table), ...GLOBAL_TABLES]);
  return all.map((r) => r.table_name).filter((t) => !known.has(t)).sort();
}
