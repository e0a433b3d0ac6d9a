// TOTP recovery codes (a Halley extension): ten random codes, shown once when TOTP is switched on,
// each usable once in the TOTP field instead of a code from the app. Codes carry 80 random bits, so a
// keyed digest (HMAC with the server key) is enough to store them; it also makes the lookup one
// indexed statement.
import { randomBytes } from 'node:crypto';
import { db, type Tx } from '../db/client';
import { keyedDigest } from '../secrets';

const COUNT = 10;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols, no 0/O or 1/I look-alikes

function newCode(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i += 1) out += ALPHABET[bytes[i] & 31];
  return out.match(/.{4}/g)!.join('-');
}

function normalise(code: string): string {
  return code.replace(/[\s-]+/g, '').toUpperCase();
}

function digest(adminId: string, code: string): string {
  return keyedDigest(`recovery\u0000${adminId}\u0000${normalise(code)}`);
}

export function looksLikeRecoveryCode(code: string): boolean {
  const n = normalise(code);
  return n.length === 16 && [...n].every((c) => ALPHABET.includes(c));
}

/** Replaces the admin's recovery codes; returns the new plain codes (the only time they exist). */
export async function replaceRecoveryCodes(tx: Tx, adminId: string): Promise<string[]> {
  const codes = Array.from({ length: COUNT }, newCode);
  await tx.adminRecoveryCode.deleteMany({ where: { adminId } });
  await tx.adminRecoveryCode.createMany({ data: codes.map((c) => ({ adminId, codeHash: digest(adminId, c) })) });
  return codes;
}

/** Uses up one recovery code; true when it was valid and unused (concurrent uses: exactly one wins). */
export async function consumeRecoveryCode(adminId: string, code: string): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  const used = await db().adminRecoveryCode.updateMany({ where: { adminId, codeHash: digest(adminId, code), usedAt: null }, data: { usedAt: new Date() } });
  return used.count === 1;
}
