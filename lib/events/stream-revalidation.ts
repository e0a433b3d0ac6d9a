// Open event streams follow their credentials: every REVALIDATE_EVERY_MS each web node checks all the
// actors of its open streams in one query, and closes a stream whose session key was revoked or expired,
// whose admin was deleted or moved to another tenant, whose permissions changed, or (signed in with a
// password) whose password changed. PostgreSQL is the one source of truth every node already reads, so a
// change made through any node reaches the streams of every node within one period; no messages between
// nodes are needed, and a node that missed nothing can't miss a change either.
import { createHash } from 'node:crypto';
import { db } from '../db/client';
import { log } from '../log';
import type { AdminActor } from '../tenancy/actor';

/** How often a node re-checks its open streams' actors (the bound on how long a revoked stream lives). */
export const REVALIDATE_EVERY_MS = 2_000;

export type StreamWatch = {
  adminId: string;
  tenantId: string;
  /** Canonical JSON of the permissions the stream was opened with. */
  permissions: string;
  sessionId: string | null;
  /** Digest of the password hash the stream signed in with; null for session-key streams. */
  passwordFingerprint: string | null;
  close: (reason: string) => void;
};

const watched = new Set<StreamWatch>();
/**
 * The open streams by (admin, session) pair, then by what staleReason compares (tenant, permissions, password
 * fingerprint, session or not): streams in one set stand or fall together, so a check is one staleReason per set,
 * not per stream (10,000 clients of one admin are one pair and one set; the per-stream loop was ~10 % of the web
 * process's busy time in a 10,000-client burst, bench/README.md, fan-out). Keys are built once, when a stream opens.
 */
type Pair = { adminId: string; sessionId: string; alike: Map<string, Set<StreamWatch>> };
const pairs = new Map<string, Pair>();
const pairKey = (adminId: string, sessionId: string) => `${adminId}\u0000${sessionId}`;
let timer: NodeJS.Timeout | undefined;
let running = false;

/** Canonical JSON (sorted keys), so two readings of one jsonb value compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A digest of a stored password hash, to notice a change without keeping the hash. */
export function passwordFingerprint(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url');
}

/** What a stream opened by this actor must keep matching. */
export async function streamWatchFor(actor: AdminActor): Promise<Omit<StreamWatch, 'close'>> {
  let fingerprint: string | null = null;
  if (actor.authMethod !== 'SessionKey') {
    // tenancy: own — the stream's own admin (actor.adminId)
    const row = await db().adminUser.findUnique({ where: { id: actor.adminId }, select: { passwordHash: true } });
    fingerprint = passwordFingerprint(row?.passwordHash ?? '');
  }
  return {
    adminId: actor.adminId,
    tenantId: actor.tenantId,
    permissions: canonicalJson(actor.permissions ?? {}),
    sessionId: actor.sessionId ?? null,
    passwordFingerprint: fingerprint,
  };
}

/** Starts watching an open stream; returns the function that stops it (call it when the stream closes). */
export function watchStream(w: StreamWatch): () => void {
  const key = pairKey(w.adminId, w.sessionId ?? '');
  const signature = JSON.stringify([w.tenantId, w.permissions, w.passwordFingerprint, w.sessionId === null]);
  let pair = pairs.get(key);
  if (!pair) pairs.set(key, (pair = { adminId: w.adminId, sessionId: w.sessionId ?? '', alike: new Map() }));
  let alike = pair.alike.get(signature);
  if (!alike) pair.alike.set(signature, (alike = new Set()));
  alike.add(w);
  watched.add(w);
  timer ??= setInterval(() => void revalidateStreams(), REVALIDATE_EVERY_MS).unref();
  const group = pair;
  const set = alike;
  return () => {
    watched.delete(w);
    set.delete(w);
    if (set.size === 0 && group.alike.get(signature) === set) group.alike.delete(signature);
    if (group.alike.size === 0 && pairs.get(key) === group) pairs.delete(key);
    if (watched.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

type Row = { adminId: string; sessionId: string; tenantId: string | null; permissions: unknown; passwordHash: string | null; sessionLive: boolean | null };
/** A row with its permissions' canonical JSON and its password fingerprint, each computed once per row: many
 * streams share one (admin, session) pair (10,000 clients of one admin are one row, not 10,000 digests). */
type Checked = Row & { permissionsJson: string; fingerprint: () => string };

function checked(row: Row): Checked {
  let fingerprint: string | undefined;
  return { ...row, permissionsJson: canonicalJson(row.permissions ?? {}), fingerprint: () => (fingerprint ??= passwordFingerprint(row.passwordHash ?? '')) };
}

/** Why the stream must close, or null while its credentials still hold. */
function staleReason(w: StreamWatch, row: Checked | undefined): string | null {
  if (!row || row.tenantId === null) return 'Administrator removed';
  if (w.sessionId !== null && !row.sessionLive) return 'Session revoked or expired';
  if (row.tenantId !== w.tenantId) return 'Administrator moved to another organization';
  if (row.permissionsJson !== w.permissions) return 'Permissions changed';
  if (w.passwordFingerprint !== null && row.fingerprint() !== w.passwordFingerprint) return 'Password changed';
  return null;
}

/** One query for every open stream of this node. */
export async function revalidateStreams(): Promise<void> {
  if (running || watched.size === 0) return;
  running = true;
  try {
    const open = [...pairs.values()];
    const adminIds = open.map((p) => p.adminId);
    const sessionIds = open.map((p) => p.sessionId);
    // tenancy: own — re-checks each open stream's own admin and session by id (the actors that opened them)
    const rows = await db().$queryRaw<Row[]>`
      SELECT c.admin_id AS "adminId", c.session_id AS "sessionId", a."tenantId", a.permissions, a."passwordHash",
        (s.id IS NOT NULL AND s."revokedAt" IS NULL AND s."expiresAt" > ${new Date()}) AS "sessionLive"
      FROM unnest(${adminIds}::text[], ${sessionIds}::text[]) AS c(admin_id, session_id)
      LEFT JOIN "AdminUser" a ON a.id = c.admin_id
      LEFT JOIN "Session" s ON s.id = c.session_id AND s."adminId" = c.admin_id`;
    const byPair = new Map(rows.map((r) => [pairKey(r.adminId, r.sessionId), checked(r)]));
    for (const pair of open) {
      const row = byPair.get(pairKey(pair.adminId, pair.sessionId));
      for (const alike of [...pair.alike.values()]) {
        const [first] = alike;
        const reason = first ? staleReason(first, row) : null;
        if (reason === null) continue;
        for (const w of [...alike]) {
          if (!watched.has(w)) continue;
          watched.delete(w);
          w.close(reason);
        }
      }
    }
  } catch (err) {
    // The next period tries again; a stream is never closed because the check itself failed.
    log.warn({ err }, 'event stream re-validation failed');
  } finally {
    running = false;
  }
}
