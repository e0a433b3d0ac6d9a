// A digest of the state a refused API call must not change: every tenant-owned table and the
// server-wide settings, row by row, in a stable order. Left out, because a refused call may write them:
// - "Event": the append-only outbox. A refused sign-in writes LOGIN_FAILED, a sign-in that succeeds
//   before the call is refused for its parameters writes its login event, both by design.
// - "LoginFailure": the login-protection counter a failed sign-in must bump (that is its purpose).
// - AdminUser."lastLoginAt": set by every successful password sign-in, even when the call is then refused.
// - Session."lastUsedAt" / "expiresAt": sliding expiry, touched by any call made with the session key.
// - "OutboxCursor" and "_prisma_migrations": server bookkeeping, not tenant data.
import pg from 'pg';

const TABLES: Record<string, string[]> = {
  Tenant: [],
  AdminUser: ['lastLoginAt'],
  AdminRecoveryCode: [],
  WebAuthnChallenge: [],
  AdminWebAuthnCredential: [],
  Session: ['lastUsedAt', 'expiresAt'],
  ExternalAuthSource: [],
  ServerSetting: [],
  Account: [],
  Device: [],
  StorageVault: [],
  ProtectedItem: [],
  BackupRule: [],
  Policy: [],
  Job: [],
  JobLogEntry: [],
  Webhook: [],
  WebhookDelivery: [],
  EmailDelivery: [],
};

export const DIGEST_EXCLUDES = { tables: ['Event', 'LoginFailure', 'OutboxCursor', '_prisma_migrations'], columns: TABLES };

const SQL = Object.entries(TABLES)
  .map(([table, drop]) => {
    const row = drop.reduce((expr, col) => `${expr} - '${col}'`, 'to_jsonb(t)');
    return `SELECT '${table}' AS t, coalesce(md5(string_agg((${row})::text, E'\\n' ORDER BY (${row})::text)), '') AS d FROM "${table}" t`;
  })
  .join('\nUNION ALL\n');

export class DbDigest {
  private readonly client: pg.Client;

  constructor(url: string) {
    this.client = new pg.Client({ connectionString: url });
  }

  async open(): Promise<void> {
    await this.client.connect();
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  /** Per-table digests (so a failure names the table that changed). */
  async take(): Promise<Record<string, string>> {
    const r = await this.client.query<{ t: string; d: string }>(SQL);
    return Object.fromEntries(r.rows.map((x) => [x.t, x.d]));
  }
}

export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((t) => before[t] !== after[t]);
}
