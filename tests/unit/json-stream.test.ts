// lib/api/json-stream.ts must write exactly the bytes JSON.stringify writes for the whole value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeJsonArray, encodeJsonObject } from '@/lib/api/json-stream';
import { isArrayIndexKey } from '@/lib/json/array-index-key';
import { JsonText } from '@/lib/json/json-text';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

async function* slowly<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

/** Keys that exercise JSON escaping and JavaScript's ordering of array-index keys. */
const key = fc.oneof(
  fc.string(),
  fc.constantFrom('0', '1', '7', '10', '01', '-1', '1.5', '4294967294', '4294967295', '99999999999', '__proto__', 'a"b', '\u2028', 'é', '\ud800'),
  fc.nat({ max: 5000 }).map(String),
);
const value = fc.oneof(
  fc.jsonValue(),
  fc.constant(undefined),
  fc.bigInt({ min: -(2n ** 50n), max: 2n ** 50n }),
  fc.constant(() => 1),
  fc.date({ noInvalidDate: true }),
  fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.constant(undefined))),
);

const stringify = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));

describe('JSON streaming encoder', () => {
  it('writes the bytes JSON.stringify writes for an object (entries in property order)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 60 }), async (pairs) => {
        const obj: Record<string, unknown> = {};
        for (const [k, v] of pairs) if (k !== '__proto__') obj[k] = v;
        expect(await collect(encodeJsonObject(slowly(Object.entries(obj))))).toBe(stringify(obj));
      }),
      { numRuns: 300 },
    );
  });

  it('writes the bytes JSON.stringify writes for an array', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { maxLength: 60 }), async (items) => {
        expect(await collect(encodeJsonArray(slowly(items)))).toBe(stringify(items));
      }),
      { numRuns: 300 },
    );
  });

  it('splits big answers into chunks and still matches byte for byte', async () => {
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) obj[`user-${String(i).padStart(5, '0')}`] = { Name: 'x'.repeat(100), Devices: { [`d${i}`]: { n: i } } };
    const chunks: string[] = [];
    for await (const c of encodeJsonObject(Object.entries(obj))) chunks.push(c);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe(JSON.stringify(obj));
    expect(await collect(encodeJsonObject([]))).toBe('{}');
    expect(await collect(encodeJsonArray([]))).toBe('[]');
  });

  it('yields a long value text as a chunk of its own (not copied into a chunk), the bytes unchanged', async () => {
    const long = JSON.stringify({ s: 'y'.repeat(9000) });
    const entries: Array<[string, unknown]> = [['1', 1], ['a', new JsonText(long)], ['b', 'short'], ['c', JSON.parse(long)], ['d', new JsonText(long)]];
    const chunks: string[] = [];
    for await (const c of encodeJsonObject(entries)) chunks.push(c);
    expect(chunks.join('')).toBe(JSON.stringify({ 1: 1, a: JSON.parse(long), b: 'short', c: JSON.parse(long), d: JSON.parse(long) }));
    expect(chunks.filter((c) => c === long)).toHaveLength(3);
    const items = [new JsonText(long), 2, JSON.parse(long)];
    const arrayChunks: string[] = [];
    for await (const c of encodeJsonArray(items)) arrayChunks.push(c);
    expect(arrayChunks.join('')).toBe(JSON.stringify([JSON.parse(long), 2, JSON.parse(long)]));
    expect(arrayChunks.filter((c) => c === long)).toHaveLength(2);
  });

  it('refuses array-index keys after other keys (the bytes would differ), and writes a repeated key once', async () => {
    await expect(collect(encodeJsonObject([['b', 1], ['3', 2]]))).rejects.toThrow(/out of order/);
    await expect(collect(encodeJsonObject([['5', 1], ['3', 2]]))).rejects.toThrow(/out of order/);
    expect(await collect(encodeJsonObject([['3', 1], ['a', 2], ['a', 3]]))).toBe('{"3":1,"a":2}');
  });

  it('keeps no set of written keys when the source says its keys are unique (the same bytes otherwise)', async () => {
    const entries: Array<[string, unknown]> = [['7', 1], ['42', [2]], ['b', { c: 'ü' }], ['a', null], ['u', undefined]];
    expect(await collect(encodeJsonObject(entries, { keysUnique: true }))).toBe(JSON.stringify(Object.fromEntries(entries)));
    await expect(collect(encodeJsonObject([['b', 1], ['3', 2]], { keysUnique: true }))).rejects.toThrow(/out of order/);
  });

  it('writes a value given as JsonText as it is, where the value would have gone', async () => {
    const value = { b: [1, 'x'], n: 10n };
    expect(await collect(encodeJsonObject([['a', new JsonText('{"b":[1,"x"],"n":10}')], ['c', value]]))).toBe('{"a":{"b":[1,"x"],"n":10},"c":{"b":[1,"x"],"n":10}}');
    expect(await collect(encodeJsonArray([new JsonText('[]'), undefined]))).toBe('[[],null]');
  });

  it('knows which keys are array indexes', () => {
    for (const k of ['0', '1', '42', '4294967294']) expect(isArrayIndexKey(k)).toBe(true);
    for (const k of ['', '01', '-1', '1.0', '4294967295', '12345678901', 'a1', ' 1']) expect(isArrayIndexKey(k)).toBe(false);
  });
});
