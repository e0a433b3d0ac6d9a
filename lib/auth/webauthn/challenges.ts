// Server-side WebAuthn ceremony state: one row per challenge, bound to an admin and a purpose,
// valid for CHALLENGE_TTL_MS and usable once (taking it deletes it).
import { randomBytes } from 'node:crypto';
import { db } from '../../db/client';

const CHALLENGE_TTL_MS = 5 * 60 * 1000;

type ChallengePurpose = 'registration' | 'authentication';
type StoredChallenge = { id: string; challenge: string; rpId: string; origin: string };

export async function storeChallenge(opts: { adminId: string; purpose: ChallengePurpose; challenge: string; rpId: string; origin: string }): Promise<string> {
  const id = randomBytes(24).toString('base64url');
  const now = Date.now();
  // Expired challenges of this admin go with each new one, so the table stays small without a job.
  await db().$transaction([
    db().webAuthnChallenge.deleteMany({ where: { adminId: opts.adminId, expiresAt: { lt: new Date(now) } } }),
    db().webAuthnChallenge.create({ data: { id, ...opts, expiresAt: new Date(now + CHALLENGE_TTL_MS) } }),
  ]);
  return id;
}

/** Takes (deletes) a live challenge of this admin and purpose; null when unknown, foreign, used or expired. */
export async function takeChallenge(opts: { id: string; adminId: string; purpose: ChallengePurpose }): Promise<StoredChallenge | null> {
  if (!opts.id) return null;
  const rows = await db().$queryRaw<Array<StoredChallenge & { expiresAt: Date }>>`
    DELETE FROM "WebAuthnChallenge" WHERE id = ${opts.id} AND "adminId" = ${opts.adminId} AND purpose = ${opts.purpose}
    RETURNING id, challenge, "rpId", origin, "expiresAt"`;
  const row = rows[0];
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  return { id: row.id, challenge: row.challenge, rpId: row.rpId, origin: row.origin };
}
