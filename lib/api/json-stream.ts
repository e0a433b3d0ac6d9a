// JSON answers written as they are read: an unbounded list (list-users-full, job dumps) is encoded entry by
// entry instead of being built whole in memory and stringified at once. The bytes are exactly those
// `JSON.stringify` would write for the whole object/array (tests/unit/json-stream.test.ts checks that), so
// the wire does not change:
//   - object entries `"key":value` in the order given, entries whose value JSON leaves out (undefined,
//     functions, symbols) left out, a repeated key written once (where it came first: an object has no
//     duplicate keys; JSON.stringify would show the last value there, a streamed source must not repeat; with
//     `keysUnique` the source promises it never does, and no set of keys is kept);
//   - array elements with undefined/functions/symbols written as null;
//   - bigint values as numbers (what lib/api/handle.ts does as a fallback for whole bodies);
//   - a value given as JsonText (lib/json/json-text.ts) as its text.
// One thing a stream cannot do by itself: JavaScript objects list array-index keys ("0", "42", up to
// 2^32-2) first, in numeric order, before all other keys. A source of object entries must yield them in
// that order itself; the encoder checks it and throws (the answer is then cut off, never wrong).

import { isArrayIndexKey } from '../json/array-index-key';
import { encodeJsonValue } from '../json/json-text';

/** Writes are gathered into chunks of about this size (few large writes instead of many small ones). */
const CHUNK_CHARS = 64 * 1024;
/**
 * A value text at least this long is yielded as a chunk of its own, as it is: added to a chunk, it would be copied
 * once more when the chunk is flattened for writing (list-users-full's profiles, ~12 KB each, were copied that way).
 */
const OWN_CHUNK_CHARS = 8 * 1024;

/** The text written so far, cut into chunks of about CHUNK_CHARS; a long value text goes out as a chunk of its own. */
class Chunks {
  private pending: string | undefined;
  constructor(private buf: string) {}
  /** Adds `head` (separator, key) and a value's `text`; returns a chunk that is ready, if one is (then ask `next`). */
  add(head: string, text: string): string | undefined {
    if (text.length >= OWN_CHUNK_CHARS) {
      const ready = this.buf + head;
      this.buf = '';
      this.pending = text;
      return ready;
    }
    this.buf += head + text;
    if (this.buf.length < CHUNK_CHARS) return undefined;
    const ready = this.buf;
    this.buf = '';
    return ready;
  }
  /** The next chunk that is ready, if any. */
  next(): string | undefined {
    const ready = this.pending;
    this.pending = undefined;
    return ready;
  }
  /** The last chunk, closed with `close`. */
  end(close: string): string {
    return this.buf + close;
  }
}

/**
 * `{"k":v,...}` from entries, in chunks of about 64 KiB. `keysUnique`: the source never repeats a key (a keyset scan
 * over a unique column), so the written keys are not kept to drop repeats (100,000 usernames held for the whole
 * answer were one of the things the old generation grew with).
 */
export async function* encodeJsonObject(
  entries: AsyncIterable<readonly [string, unknown]> | Iterable<readonly [string, unknown]>,
  { keysUnique = false }: { keysUnique?: boolean } = {},
): AsyncGenerator<string> {
  const chunks = new Chunks('{');
  let first = true;
  let lastIndex = -1;
  let pastIndexKeys = false;
  const seen = keysUnique ? undefined : new Set<string>();
  for await (const [key, value] of entries) {
    if (isArrayIndexKey(key)) {
      const n = Number(key);
      if (pastIndexKeys || n <= lastIndex) {
        if (seen?.has(key)) continue;
        throw new Error(`JSON object stream: array-index key ${key} out of order (such keys must come first, ascending)`);
      }
      lastIndex = n;
    } else pastIndexKeys = true;
    if (seen?.has(key)) continue;
    const text = encodeJsonValue(value);
    if (text === undefined) continue;
    seen?.add(key);
    for (let c = chunks.add((first ? '' : ',') + JSON.stringify(key) + ':', text); c !== undefined; c = chunks.next()) yield c;
    first = false;
  }
  yield chunks.end('}');
}

/** `[v,...]` from items, in chunks of about 64 KiB. */
export async function* encodeJsonArray(items: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<string> {
  const chunks = new Chunks('[');
  let first = true;
  for await (const item of items) {
    for (let c = chunks.add(first ? '' : ',', encodeJsonValue(item) ?? 'null'); c !== undefined; c = chunks.next()) yield c;
    first = false;
  }
  yield chunks.end(']');
}
