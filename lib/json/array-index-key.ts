// Which object keys JavaScript lists first: array indexes ("0", "42", up to 2^32 - 2) come before all other
// keys, in numeric order, whatever the insertion order. JSON.stringify follows that order, so a streamed
// encoding of an object (lib/api/json-stream.ts) and its sources (lib/users/stream-user-profiles.ts) must too.

/** An array index in the sense of ECMAScript property order: canonical decimal, below 2^32 - 1. */
export function isArrayIndexKey(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57) return false; // not a digit first: most keys, decided without the pattern
  if (key !== '0' && !/^[1-9][0-9]*$/.test(key)) return false;
  return Number(key) < 4294967295;
}
