// Session keys for admins and end users. The key is shown once to the caller; only its keyed
// digest is stored. Sessions slide: each use pushes the expiry out by the configured timeout.
// tenancy-file: system — sessions are resolved by their unguessable key before there is an actor, and revoked by their own id
import { randomBytes } from 'node:crypto';
import { db, dbPool, PRISMA_ROW_TYPES, type Tx } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { keyedDigest } from '../secrets';
import { sessionTimeoutSeconds } from './session-settings';

/** What authentication needs to know about an admin (one select for password and session sign-ins). */
export const ADMIN_AUTH_SELECT = {
  id: true,
  username: true,
  tenantId: true,
  permissions: true,
  passwordHash: true,
  allowPasswordLogin: true,
  allowPasswordAndTotpLogin: true,
  allowPasswordAndWebAuthnLogin: true,
  totpSecret: true,
  ipWhitelist: true,
  externalAuthSource: true,
} as const;

type SessionOwner = { kind: 'admin'; adminId: string; tenantId: string } | { kind: 'user'; accountId: string; tenantId: string };

/**
 * Stores a new session inside the caller's transaction. `timeoutSeconds` (sessionTimeoutSeconds()) is read by the
 * caller BEFORE its transaction: reading the setting inside it would take a second pool connection while the
 * transaction holds one, and parallel sign-ins then wait on each other until their transactions time out.
 */
export async function createSession(tx: Tx, owner: SessionOwner, opts: { upgraded?: boolean; timeoutSeconds: number }): Promise<string> {
  const key = randomBytes(32).toString('base64url');
  await tx.session.create({
    data: {
      keyHash: keyedDigest(key),
      kind: owner.kind,
      tenantId: owner.tenantId,
      adminId: owner.kind === 'admin' ? owner.adminId : null,
      accountId: owner.kind === 'user' ? owner.accountId : null,
      upgraded: opts.upgraded ?? false,
      expiresAt: new Date(Date.now() + opts.timeoutSeconds * 1000),
    },
  });
  return key;
}

const TOUCH_EVERY_MS = 30_000;

/** The ADMIN_AUTH_SELECT columns of "AdminUser" a, as jsonb_build_object arguments (constant identifiers). */
const ADMIN_AUTH_JSON = Prisma.raw(
  Object.keys(ADMIN_AUTH_SELECT)
    .map((k) => `'${k}', a."${k}"`)
    .join(', '),
);

/** The ADMIN_AUTH_SELECT columns. */
type AdminAuthRow = {
  id: string;
  username: string;
  tenantId: string;
  permissions: unknown;
  passwordHash: string;
  allowPasswordLogin: boolean;
  allowPasswordAndTotpLogin: boolean;
  allowPasswordAndWebAuthnLogin: boolean;
  totpSecret: string | null;
  ipWhitelist: string;
  externalAuthSource: string;
};

type SessionRow = {
  id: string;
  kind: string;
  tenantId: string;
  upgraded: boolean;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date;
  admin: AdminAuthRow | null;
  account: { id: string; username: string; tenantId: string } | null;
};

/**
 * A password sign-in's read of the admin (ADMIN_AUTH_SELECT by username). Every Password API call runs it, so it
 * goes to the pg pool as fixed text, not through Prisma's query compiler. bench/baseline.ts runs this very text.
 */
export const ADMIN_BY_USERNAME_SQL = `SELECT ${Object.keys(ADMIN_AUTH_SELECT)
  .map((k) => `"${k}"`)
  .join(', ')} FROM "AdminUser" WHERE username = $1`;

/** The admin of that username (usernames are unique server-wide), or null. */
export async function findAdminForSignIn(username: string): Promise<AdminAuthRow | null> {
  const { rows } = await dbPool().query<AdminAuthRow>(ADMIN_BY_USERNAME_SQL, [username]);
  return rows[0] ?? null;
}

/**
 * The one statement that reads a session with both owners joined (every SessionKey API call runs it;
 * Prisma's nested select would take three round trips; it runs on the pg pool, without Prisma's raw-query
 * path). Exported so bench/baseline.ts runs this very text.
 */
export function sessionLookupQuery(keyHash: string): Prisma.Sql {
  return Prisma.sql`
    SELECT s.id, s.kind, s."tenantId", s.upgraded, s."expiresAt", s."revokedAt", s."lastUsedAt",
      CASE WHEN a.id IS NULL THEN NULL ELSE jsonb_build_object(${ADMIN_AUTH_JSON}) END AS admin,
      CASE WHEN u.id IS NULL THEN NULL ELSE jsonb_build_object('id', u.id, 'username', u.username, 'tenantId', u."tenantId") END AS account
    FROM "Session" s
    LEFT JOIN "AdminUser" a ON a.id = s."adminId"
    LEFT JOIN "Account" u ON u.id = s."accountId"
    WHERE s."keyHash" = ${keyHash}`;
}

/** Finds a live session by key; returns null when unknown, revoked or expired. */
export async function findLiveSession(key: string, kinds: Array<'admin' | 'user'>): Promise<SessionRow | null> {
  if (!key) return null;
  const lookup = sessionLookupQuery(keyedDigest(key));
  // Timestamps as the UTC instants Prisma stores (PRISMA_ROW_TYPES), so the expiry tests below read them right.
  const {
    rows: [session],
  } = await dbPool().query<SessionRow>({ text: lookup.text, values: lookup.values, types: PRISMA_ROW_TYPES });
  if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) return null;
  if (!kinds.includes(session.kind as 'admin' | 'user')) return null;
  if (Date.now() - session.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    const now = new Date();
    await db().session.update({
      where: { id: session.id },
      data: { lastUsedAt: now, expiresAt: new Date(now.getTime() + (await sessionTimeoutSeconds()) * 1000) },
    });
  }
  return session;
}

export async function revokeSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}
