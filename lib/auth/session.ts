// Session keys for admins and end users. The key is shown once to the caller; only its keyed
// digest is stored. Sessions slide: each use pushes the expiry out by the configured timeout.
import { randomBytes } from 'node:crypto';
import { db, type Tx } from '../db/client';
import { env } from '../env';
import { keyedDigest } from '../secrets';

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

export type SessionOwner = { kind: 'admin'; adminId: string; tenantId: string } | { kind: 'user'; accountId: string; tenantId: string };

export async function createSession(tx: Tx, owner: SessionOwner, opts: { upgraded?: boolean } = {}): Promise<string> {
  const key = randomBytes(32).toString('base64url');
  await tx.session.create({
    data: {
      keyHash: keyedDigest(key),
      kind: owner.kind,
      tenantId: owner.tenantId,
      adminId: owner.kind === 'admin' ? owner.adminId : null,
      accountId: owner.kind === 'user' ? owner.accountId : null,
      upgraded: opts.upgraded ?? false,
      expiresAt: new Date(Date.now() + env().HALLEY_SESSION_TIMEOUT_SECONDS * 1000),
    },
  });
  return key;
}

const TOUCH_EVERY_MS = 30_000;

type AdminAuthRow = { [K in keyof typeof ADMIN_AUTH_SELECT]: K extends 'permissions' ? unknown : K extends 'totpSecret' ? string | null : K extends `allow${string}` ? boolean : string };

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
 * Finds a live session by key; returns null when unknown, revoked or expired. One query with both owners
 * joined (every SessionKey API call runs it; Prisma's nested select would take three round trips).
 */
export async function findLiveSession(key: string, kinds: Array<'admin' | 'user'>): Promise<SessionRow | null> {
  if (!key) return null;
  const [row] = await db().$queryRaw<Array<Omit<SessionRow, 'admin' | 'account'> & { admin: AdminAuthRow | null; account: SessionRow['account'] }>>`
    SELECT s.id, s.kind, s."tenantId", s.upgraded, s."expiresAt", s."revokedAt", s."lastUsedAt",
      CASE WHEN a.id IS NULL THEN NULL ELSE jsonb_build_object(
        'id', a.id, 'username', a.username, 'tenantId', a."tenantId", 'permissions', a.permissions,
        'passwordHash', a."passwordHash", 'allowPasswordLogin', a."allowPasswordLogin",
        'allowPasswordAndTotpLogin', a."allowPasswordAndTotpLogin", 'allowPasswordAndWebAuthnLogin', a."allowPasswordAndWebAuthnLogin",
        'totpSecret', a."totpSecret", 'ipWhitelist', a."ipWhitelist", 'externalAuthSource', a."externalAuthSource") END AS admin,
      CASE WHEN u.id IS NULL THEN NULL ELSE jsonb_build_object('id', u.id, 'username', u.username, 'tenantId', u."tenantId") END AS account
    FROM "Session" s
    LEFT JOIN "AdminUser" a ON a.id = s."adminId"
    LEFT JOIN "Account" u ON u.id = s."accountId"
    WHERE s."keyHash" = ${keyedDigest(key)}`;
  const session = row ?? null;
  if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) return null;
  if (!kinds.includes(session.kind as 'admin' | 'user')) return null;
  if (Date.now() - session.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    const now = new Date();
    await db().session.update({
      where: { id: session.id },
      data: { lastUsedAt: now, expiresAt: new Date(now.getTime() + env().HALLEY_SESSION_TIMEOUT_SECONDS * 1000) },
    });
  }
  return session;
}

export async function revokeSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}
