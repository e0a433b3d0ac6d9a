// shapedJson(t, v) must be exactly encodeJsonValue(shapeWire(t, v)): the same bytes for every wire type of the
// contract and any value, JSON-like or not (what the mapper reads is JSON, but the shape passes odd values through).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import wireTypesJson from '../../lib/comet/wire-types.json';
import { resolveWireType } from '../../lib/comet/validate';
import { encodeJsonValue, JsonText } from '../../lib/json/json-text';
import { shapeWire } from '../../lib/profile/mapper';
import { MapEntries, shapedJson } from '../../lib/profile/shaped-json';

const TYPES = (wireTypesJson as unknown as { types: Record<string, { fields?: (string | number)[][] }> }).types;
const TYPE_NAMES = Object.keys(TYPES);
const same = (typeExpr: string, v: unknown) => expect(shapedJson(resolveWireType(typeExpr), v)).toBe(encodeJsonValue(shapeWire(typeExpr, v)));

const ODD_STRINGS = ['', 'plain', 'quote " and \\ backslash', 'line\nbreak\ttab\u0001\u001f', '\ud83d\ude00 pair', 'lone \ud800 high', 'lone \udfff low', 'é ü 中文', '</script>', '\u2028\u2029'];
const ODD_NUMBERS = [0, -0, 1, -1, 0.1, 1.5e-7, 1e21, 123456789012, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity];
const ODD_KEYS = ['0', '7', '42', '007', '4294967294', '4294967295', '-1', '__proto__', 'toString', 'key with space', 'é', ''];

function randomValue(rnd: () => number, fieldNames: string[], depth: number): unknown {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const r = rnd();
  if (depth <= 0 || r < 0.45) {
    const p = rnd();
    if (p < 0.3) return pick(ODD_STRINGS);
    if (p < 0.5) return pick(ODD_NUMBERS);
    if (p < 0.58) return BigInt(Math.floor(rnd() * 1e6)) * (rnd() < 0.1 ? 10n ** 400n : 1n);
    if (p < 0.68) return rnd() < 0.5;
    if (p < 0.78) return null;
    if (p < 0.84) return undefined;
    if (p < 0.87) return () => 1;
    if (p < 0.9) return Symbol('s');
    if (p < 0.94) return new Date(1_700_000_000_000 + Math.floor(rnd() * 1e9));
    if (p < 0.96) return new Number(3);
    return pick(ODD_STRINGS);
  }
  if (r < 0.65) {
    const n = Math.floor(rnd() * 5);
    const arr = Array.from({ length: n }, () => randomValue(rnd, fieldNames, depth - 1));
    if (n > 2 && rnd() < 0.2) delete arr[1]; // a hole
    return arr;
  }
  const obj: Record<string, unknown> = {};
  const n = Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) {
    const k = rnd() < 0.6 && fieldNames.length ? pick(fieldNames) : pick(ODD_KEYS);
    const value = randomValue(rnd, fieldNames, depth - 1);
    if (k === '__proto__') Object.defineProperty(obj, k, { value, enumerable: true, writable: true, configurable: true });
    else obj[k] = value;
  }
  if (rnd() < 0.03) obj.toJSON = () => ({ replaced: true });
  return obj;
}

describe('shapedJson', () => {
  it('writes what JSON.stringify of the shaped value writes, for every wire type and random values', () => {
    const allFields = [...new Set(TYPE_NAMES.flatMap((n) => (TYPES[n].fields ?? []).map((f) => String(f[0]))))];
    const exprs = ['string', 'int64', 'bool', 'float64', '[]byte', 'any', '[]string', 'map[string]string', '[]UserProfileConfig', 'map[string]DestinationConfig'];
    // fast-check draws the random numbers (it prints the seed of a failure to replay it)
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const rnd = () => g(fc.double, { min: 0, max: 1, maxExcluded: true, noNaN: true });
        for (const name of TYPE_NAMES) {
          const own = (TYPES[name].fields ?? []).map((f) => String(f[0]));
          same(name, randomValue(rnd, rnd() < 0.8 ? own : allFields, 4));
        }
        for (const expr of exprs) for (let i = 0; i < 4; i++) same(expr, randomValue(rnd, [], 3));
      }),
      { numRuns: 12 },
    );
  });

  it('writes every field of a full profile in Go order, with zero values and unknown keys as shape does', () => {
    same('UserProfileConfig', {});
    same('UserProfileConfig', null);
    same('UserProfileConfig', { Username: 'u', '3': 'index', '1': { x: 1n }, Zebra: 'unknown', Emails: ['a@b'], Destinations: { b: {}, '2': { Description: 'x' } } });
    same('UserProfileConfig', 'not an object');
    same('UserProfileConfig', [1, 2]);
  });

  it('writes MapEntries as the object its entries make: array-index ids first, then as they came', () => {
    const t = resolveWireType('map[string]DeviceConfig');
    const entries = new Map<string, unknown>([
      ['zeta', { FriendlyName: 'z' }],
      ['42', { FriendlyName: 'forty-two' }],
      ['__proto__', { FriendlyName: 'p' }],
      ['7', {}],
    ]);
    const obj: Record<string, unknown> = {};
    for (const [k, v] of entries) Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
    expect(shapedJson(t, new MapEntries(entries))).toBe(encodeJsonValue(shapeWire('map[string]DeviceConfig', obj)));
  });

  it('leaves out what JSON leaves out, and encodes again after a value with a toJSON of its own', () => {
    expect(shapedJson(resolveWireType('string'), () => 1)).toBeUndefined();
    expect(shapedJson(resolveWireType('any'), Symbol('x'))).toBeUndefined();
    same('any', { a: { toJSON: () => 'own' }, b: new Date(0) });
    same('string', { a: { toJSON: () => 'own' }, b: new Date(0) });
    same('UserProfileConfig', { Username: 'again' });
  });

  it('takes the long way where JSON.stringify would decide differently from a plain walk (review cases)', () => {
    // a JsonText inside a value is an ordinary object to JSON.stringify; only at the top is it written as its text
    same('UserProfileConfig', { Username: new JsonText('123') });
    same('string', [new JsonText('x')]);
    same('string', new JsonText('"as is"'));
    // inherited enumerable keys, array-index ones among them
    const inherited = Object.create({ '5': 'p', '2': 'q' }) as Record<string, unknown>;
    inherited['1'] = 'a';
    inherited.x = 'b';
    same('DeviceConfig', inherited);
    // toJSON gets the property's key
    const keyed = { toJSON: (k: string) => `key=${k}` };
    same('any', { a: keyed, list: [keyed] });
    same('DeviceConfig', { FriendlyName: keyed, Unknown: keyed });
    same('map[string]DeviceConfig', { dev1: { toJSON: (k: string) => ({ k }) } });
    // array subclasses: v.map keeps the class, and its toJSON counts
    class Tagged extends Array {
      toJSON() {
        return 'tagged';
      }
    }
    same('any', Tagged.from([1, 2]));
    same('[]string', Tagged.from(['x']));
    same('string', Tagged.from(['x']));
    // a map's value type is only needed for an object
    same('map[string]NoSuchType', 'str');
  });

  it('answers as JSON.stringify does for values nested deeper than its recursion, and throws its error for circular ones', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 3500; i++) deep = { a: deep };
    same('DeviceConfig', { Unknown: deep });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => shapedJson(resolveWireType('DeviceConfig'), { FriendlyName: circular })).toThrow(TypeError);
    expect(() => encodeJsonValue(shapeWire('DeviceConfig', { FriendlyName: circular }))).toThrow(TypeError);
  });

  it('calls a BigInt.prototype.toJSON that someone defined, as JSON.stringify does', () => {
    const proto = BigInt.prototype as { toJSON?: () => string };
    proto.toJSON = function () {
      return `big:${String(this)}`;
    };
    try {
      same('any', { a: 5n, b: [6n] });
      same('DeviceConfig', { FriendlyName: 7n, Unknown: 8n });
    } finally {
      delete proto.toJSON;
    }
  });

  it('writes a small value after a huge one as it would have alone', () => {
    const t = resolveWireType('map[string]string');
    const huge = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, `v${i}`]));
    expect(shapedJson(t, huge)).toBe(JSON.stringify(huge));
    expect(shapedJson(t, { a: 'b' })).toBe('{"a":"b"}');
    expect(shapedJson(resolveWireType('UserProfileConfig'), { Username: 'after' })).toBe(encodeJsonValue(shapeWire('UserProfileConfig', { Username: 'after' })));
  });
});
