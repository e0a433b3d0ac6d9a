// Password hashing with scrypt (memory-hard, built into Node). Stored format:
//   scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>
// Comet clients (the PHP and JS SDKs) send the password with every call, so verification results
// are cached briefly under a keyed digest of (stored hash, password): the cache never holds a
// password, and a password change invalidates its entries because the stored hash changes.
import { scrypt as scryptCb, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { keyedDigest } from '../secrets';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAX_MEM = 128 * 2 ** LOG_N * R * 2;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LEN, { N: 2 ** LOG_N, r: R, p: P, maxmem: MAX_MEM });
  return ['scrypt', LOG_N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

const CACHE_TTL_MS = 10 * 60 * 1000;
const CACHE_MAX = 20_000;
const verified = new Map<string, number>();

function remember(digest: string): void {
  if (verified.size >= CACHE_MAX) {
    // Drop the oldest insertion; Map iterates in insertion order.
    const oldest = verified.keys().next().value;
    if (oldest !== undefined) verified.delete(oldest);
  }
  verified.set(digest, Date.now() + CACHE_TTL_MS);
}

function cached(digest: string): boolean {
  const until = verified.get(digest);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  verified.delete(digest);
  return false;
}

/** Whether this password was verified against this stored hash recently (no scrypt; see login-protection.ts). */
export function passwordRecentlyVerified(stored: string, password: string): boolean {
  return stored !== '' && cached(keyedDigest(`${stored}\u0000${password}`));
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (!stored) return false;
  const digest = keyedDigest(`${stored}\u0000${password}`);
  if (cached(digest)) return true;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, logN, r, p, saltB64, hashB64] = parts;
  const expected = Buffer.from(hashB64, 'base64url');
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64url'), expected.length, {
    N: 2 ** Number(logN),
    r: Number(r),
    p: Number(p),
    maxmem: 128 * 2 ** Number(logN) * Number(r) * 2,
  });
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  if (ok) remember(digest);
  return ok;
}

/** A hash of a random password: lets unknown usernames take the same time as wrong passwords. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
