// Comet's LoginProtectionOptions: after FailureThreshold failed sign-ins, further attempts are refused
// for CooldownSeconds. Failures are counted per (username, client address): an attacker elsewhere can't
// lock a real administrator out, and an unknown username is counted exactly like a known one, so the
// lockout answer says nothing about which usernames exist. Only a keyed digest of the pair is stored.
//
// The count must hold under concurrency and across web nodes: a burst of parallel guesses must not all
// pass the lockout check before the first slow (scrypt, LDAP) check has failed. So an attempt that
// could fail takes a slot first, in one upsert on the subject's row: it gets one only while
// failures + slots in flight < FailureThreshold, which bounds the guesses evaluated per cooldown to
// FailureThreshold. Slots expire (RESERVATION_TTL_MS), so a crashed process can't leave a subject stuck.
// An attempt that can't fail by guessing (a password verified recently on this node, no second factor)
// needs no slot, only the lockout read, so parallel calls of a signed-in SDK client never queue.
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { db, dbPool, PRISMA_ROW_TYPES, type Tx } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { AuthError } from '../errors';
import { keyedDigest } from '../secrets';
import { readServerSetting } from '../settings/server-settings';

export type LoginProtectionOptions = { Enabled: boolean; FailureThreshold: number; CooldownSeconds: number };

export const LOGIN_PROTECTION_KEY = 'LoginProtection';
const DEFAULT_LOGIN_PROTECTION: LoginProtectionOptions = Object.freeze({ Enabled: true, FailureThreshold: 5, CooldownSeconds: 300 });

/** Longer than the slowest check (LDAP: 5 s connect + 10 s operation per server, with fallbacks). */
const RESERVATION_TTL_MS = 60_000;
/** How long an attempt waits for a slot held by attempts in flight before it gives up. */
const SLOT_WAIT_MS = 20_000;
const SLOT_POLL_FIRST_MS = 15;
const SLOT_POLL_MAX_MS = 250;

export function loginProtectionOptions(): Promise<LoginProtectionOptions> {
  return readServerSetting<LoginProtectionOptions>(LOGIN_PROTECTION_KEY, DEFAULT_LOGIN_PROTECTION);
}

export function loginSubject(username: string, ip: string): string {
  return keyedDigest(`login\u0000${username.toLowerCase()}\u0000${ip}`);
}

class LockedOutError extends AuthError {
  constructor(seconds: number) {
    super(`Too many failed sign-in attempts: sign-in is blocked for this username from your address for ${seconds} more second${seconds === 1 ? '' : 's'}`);
  }
}

class SignInBusyError extends AuthError {
  constructor() {
    super('Too many sign-in attempts for this username from your address are being checked at once: try again shortly');
  }
}

/**
 * One sign-in attempt of a subject. `reservation` is the slot it holds (null: none, or already given
 * back); hadFailures says whether failures are on record, so a success only spends a statement on
 * clearing them when there are some.
 */
export type LoginAttempt = { subject: string; reservation: string | null; hadFailures: boolean };

type Clock = { now: Date; nowMs: Prisma.Sql; windowStart: Date; threshold: number; lockUntil: Date };

function clock(options: LoginProtectionOptions): Clock {
  const ms = Date.now();
  return {
    now: new Date(ms),
    nowMs: Prisma.sql`${String(ms)}::bigint`,
    windowStart: new Date(ms - options.CooldownSeconds * 1000),
    threshold: Math.max(1, Math.floor(options.FailureThreshold)),
    lockUntil: new Date(ms + options.CooldownSeconds * 1000),
  };
}

// SQL over the existing row, aliased f in every statement below.
/** The failure window restarts once the lockout ended or the first failure left the cooldown window. */
const stale = (c: Clock) => Prisma.sql`(f."lockedUntil" <= ${c.now} OR (f."lockedUntil" IS NULL AND f."firstFailureAt" < ${c.windowStart}))`;
const failuresNow = (c: Clock) => Prisma.sql`(CASE WHEN ${stale(c)} THEN 0 ELSE f.failures END)`;
/** Slots that have not expired. */
const liveSlots = (c: Clock) => Prisma.sql`ARRAY(SELECT r FROM unnest(f.reservations) AS r WHERE split_part(r, ':', 1)::bigint > ${c.nowMs})`;

/**
 * Starts an attempt: throws LockedOutError while the subject cools down; otherwise takes a slot when
 * `needsSlot()` says the attempt could fail, waiting (bounded) while other attempts hold them all.
 * `needsSlot` is asked again after each wait: a concurrent success may have made the slot unnecessary.
 */
export async function beginLoginAttempt(subject: string, needsSlot: () => boolean): Promise<LoginAttempt> {
  const options = await loginProtectionOptions();
  if (!options.Enabled) return { subject, reservation: null, hadFailures: false };
  const deadline = Date.now() + SLOT_WAIT_MS;
  for (let wait = SLOT_POLL_FIRST_MS; ; wait = Math.min(SLOT_POLL_MAX_MS, wait * 2)) {
    if (!needsSlot()) return readLockout(subject, options);
    const c = clock(options);
    const token = `${Date.now() + RESERVATION_TTL_MS}:${randomBytes(9).toString('base64url')}`;
    const live = liveSlots(c);
    const [row] = await db().$queryRaw<Array<{ failures: number; lockedUntil: Date | null; reserved: boolean }>>`
      INSERT INTO "LoginFailure" AS f (subject, failures, "firstFailureAt", "lockedUntil", reservations)
      VALUES (${subject}, 0, ${c.now}, NULL, ARRAY[${token}::text])
      ON CONFLICT (subject) DO UPDATE SET
        failures = ${failuresNow(c)},
        "firstFailureAt" = CASE WHEN ${stale(c)} THEN ${c.now} ELSE f."firstFailureAt" END,
        "lockedUntil" = CASE WHEN f."lockedUntil" <= ${c.now} THEN NULL ELSE f."lockedUntil" END,
        reservations = CASE
          WHEN f."lockedUntil" > ${c.now} OR ${failuresNow(c)} + cardinality(${live}) >= ${c.threshold} THEN ${live}
          ELSE ${live} || ${token}::text END
      RETURNING f.failures, f."lockedUntil", ${token}::text = ANY(f.reservations) AS reserved`;
    const until = row.lockedUntil?.getTime() ?? 0;
    if (until > Date.now()) throw new LockedOutError(Math.ceil((until - Date.now()) / 1000));
    if (row.reserved) return { subject, reservation: token, hadFailures: row.failures > 0 };
    // Every slot is held by an attempt in flight: its outcome decides (a lockout, or a free slot).
    if (Date.now() + wait > deadline) throw new SignInBusyError();
    await delay(wait);
  }
}

/**
 * The lockout read of an attempt that needs no slot: every password API call of a signed-in SDK client runs it, so it
 * goes to the pg pool as fixed text (timestamps read as the UTC instants Prisma stores). bench/baseline.ts runs it too.
 */
export const LOCKOUT_READ_SQL = 'SELECT failures, "firstFailureAt", "lockedUntil" FROM "LoginFailure" WHERE subject = $1';

async function readLockout(subject: string, options: LoginProtectionOptions): Promise<LoginAttempt> {
  const {
    rows: [found],
  } = await dbPool().query<{ failures: number; firstFailureAt: Date; lockedUntil: Date | null }>({ text: LOCKOUT_READ_SQL, values: [subject], types: PRISMA_ROW_TYPES });
  const row = found ?? null;
  const now = Date.now();
  const until = row?.lockedUntil?.getTime() ?? 0;
  if (until > now) throw new LockedOutError(Math.ceil((until - now) / 1000));
  const current = row !== null && row.lockedUntil === null && row.firstFailureAt.getTime() >= now - options.CooldownSeconds * 1000;
  return { subject, reservation: null, hadFailures: current && row.failures > 0 };
}

/**
 * Counts one failure inside the caller's transaction and gives the attempt's slot back, in one
 * statement; returns true when this failure started a lockout.
 */
/**
 * Counts a failure inside the caller's transaction. `options` (loginProtectionOptions()) is read by the caller before
 * its transaction: a settings read inside it would need a second pool connection, and a burst of failures would then
 * wait on each other until their transactions time out.
 */
export async function recordLoginFailure(tx: Tx, attempt: LoginAttempt, options: LoginProtectionOptions): Promise<boolean> {
  if (!options.Enabled) return false;
  const c = clock(options);
  const next = Prisma.sql`(${failuresNow(c)} + 1)`;
  const [row] = await tx.$queryRaw<Array<{ failures: number }>>`
    INSERT INTO "LoginFailure" AS f (subject, failures, "firstFailureAt", "lockedUntil", reservations)
    VALUES (${attempt.subject}, 1, ${c.now}, ${c.threshold <= 1 ? c.lockUntil : null}, ARRAY[]::text[])
    ON CONFLICT (subject) DO UPDATE SET
      failures = ${next},
      "firstFailureAt" = CASE WHEN ${stale(c)} THEN ${c.now} ELSE f."firstFailureAt" END,
      "lockedUntil" = CASE WHEN ${next} >= ${c.threshold} THEN ${c.lockUntil} WHEN f."lockedUntil" <= ${c.now} THEN NULL ELSE f."lockedUntil" END,
      reservations = array_remove(${liveSlots(c)}, ${attempt.reservation}::text)
    RETURNING f.failures`;
  attempt.reservation = null;
  // Now and then, forget subjects that have been quiet for a day (no scheduler needed for this).
  if (Math.random() < 0.01) {
    await tx.loginFailure.deleteMany({
      where: { firstFailureAt: { lt: new Date(c.now.getTime() - 86_400_000) }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: c.now } }] },
    });
  }
  return row.failures === c.threshold;
}

/**
 * Ends an attempt that did not fail. A success forgets the subject's earlier failures (the row goes
 * when no other attempt holds a slot); an attempt that ended otherwise (second factor missing, an
 * error) only gives its slot back. Costs nothing when there is neither a slot nor a failure on record.
 */
export async function endLoginAttempt(attempt: LoginAttempt, outcome: 'success' | 'abandoned'): Promise<void> {
  const token = attempt.reservation;
  if (token === null && (outcome === 'abandoned' || !attempt.hadFailures)) return;
  attempt.reservation = null;
  attempt.hadFailures = false;
  if (outcome === 'abandoned') {
    await db().$executeRaw`UPDATE "LoginFailure" SET reservations = array_remove(reservations, ${token}::text) WHERE subject = ${attempt.subject}`;
    return;
  }
  const now = Date.now();
  const nowMs = Prisma.sql`${String(now)}::bigint`;
  await db().$executeRaw`
    WITH gone AS (
      DELETE FROM "LoginFailure" AS f WHERE subject = ${attempt.subject}
        AND NOT EXISTS (SELECT 1 FROM unnest(f.reservations) AS r WHERE r IS DISTINCT FROM ${token}::text AND split_part(r, ':', 1)::bigint > ${nowMs})
      RETURNING 1)
    UPDATE "LoginFailure" AS f SET failures = 0, "lockedUntil" = NULL, "firstFailureAt" = ${new Date(now)}, reservations = array_remove(f.reservations, ${token}::text)
    WHERE subject = ${attempt.subject} AND NOT EXISTS (SELECT 1 FROM gone)`;
}
