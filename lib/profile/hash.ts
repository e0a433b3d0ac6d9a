// Profile hash for AdminGetUserProfileAndHash / AdminSetUserProfileHash: a digest of the profile as
// Halley outputs it (secrets blanked) plus the account's secret stamp, so that changing a stored
// secret also changes the hash even though the secret never appears in the JSON.
import { createHash } from 'node:crypto';

/**
 * Deterministic JSON: object keys sorted (UTF-16 code unit order) at every depth, no whitespace,
 * bigint written as a decimal number. Like JSON.stringify, `undefined`/functions are dropped from
 * objects and become null in arrays, non-finite numbers become null, and toJSON() is honoured.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, true);
  return out.join('');
}

function toJsonValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: () => unknown }).toJSON();
  }
  return value;
}

function write(value: unknown, out: string[], inArray: boolean): void {
  value = toJsonValue(value);
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      out.push(Number.isFinite(value) ? JSON.stringify(value) : 'null');
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      out.push(value.toString());
      return;
    case 'undefined':
    case 'function':
    case 'symbol':
      if (inArray) out.push('null');
      return;
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out, true);
    }
    out.push(']');
    return;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  out.push('{');
  let first = true;
  for (const k of keys) {
    const v = toJsonValue(obj[k]);
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(k), ':');
    write(v, out, false);
  }
  out.push('}');
}

/** sha256 hex of canonicalJson(profileJson) + "\n" + secretStamp. */
export function profileHash(profileJson: object, secretStamp: string): string {
  return createHash('sha256')
    .update(canonicalJson(profileJson))
    .update('\n')
    .update(secretStamp)
    .digest('hex');
}
