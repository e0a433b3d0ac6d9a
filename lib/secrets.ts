// Secrets at rest: AES-256-GCM with the server key (HALLEY_SECRET_KEY). A sealed value is
// "v1:<iv>:<tag>:<ciphertext>" in base64url, so the format can change later without a migration.
import { createCipheriv, createDecipheriv, randomBytes, createHmac } from 'node:crypto';
import { env } from './env';

let key: Buffer | undefined;
function serverKey(): Buffer {
  key ??= Buffer.from(env().HALLEY_SECRET_KEY, 'hex');
  return key;
}

export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', serverKey(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
}

export function unseal(sealed: string): string {
  const [version, iv, tag, body] = sealed.split(':');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unrecognised sealed secret format');
  const decipher = createDecipheriv('aes-256-gcm', serverKey(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export function sealJson(value: unknown): string {
  return seal(JSON.stringify(value));
}

export function unsealJson<T = unknown>(sealed: string | null | undefined): T | null {
  return sealed ? (JSON.parse(unseal(sealed)) as T) : null;
}

/** Keyed digest for lookups of secret values (session keys, credential cache) without storing them. */
export function keyedDigest(value: string): string {
  return createHmac('sha256', serverKey()).update(value).digest('base64url');
}
