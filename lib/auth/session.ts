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

/** Finds a live session by key; returns null when unknown, revoked or expired. */
export async function findLiveSession(key: string, kinds: Array<'admin' | 'user'>) {
  if (!key) return null;
  const session = await db().session.findUnique({
    where: { keyHash: keyedDigest(key) },
    select: {
      id: true,
      kind: true,
      tenantId: true,
      upgraded: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      admin: { select: ADMIN_AUTH_SELECT },
      account: { select: { id: true, username: true, tenantId: true } },
    },
  });
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
