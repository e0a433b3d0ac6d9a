// The JSON text of a value shaped to a Comet wire type (lib/profile/shape-wire.ts `shape`), written without building the
// shaped value: `shapedJson(t, v)` is exactly `encodeJsonValue(shape(t, v))` (bigint as numbers). list-users-full
// encodes 100,000 profiles this way: the shaped copy of each profile, its JSON.stringify and the pieces around it were
// most of the ~140 KB allocated per listed profile, and the more a request allocates, the more young-generation
// collections it causes, each of which leaves a little in the old generation until a full one (bench/README.md).
//
// The text is gathered as pieces in one array kept between calls and joined once, so a profile allocates little
// beyond its own text. Values that are not plain JSON data (a Date, a boxed number, a toJSON, an array subclass, an
// object with a prototype of its own) are shaped and stringified the long way, under their own key, so the bytes stay
// JSON.stringify's in every case; so is a value nested too deep for the writer's recursion.
import { resolveWireType, type WireType } from '../comet/validate';
import { isArrayIndexKey } from '../json/array-index-key';
import { JsonText, stringifyBigint } from '../json/json-text';
import { cloneJson, isObject } from './json-value';
import { shape } from './shape-wire';
import { isEmptyValue, structPlan } from './struct-plan';

/**
 * A map-typed value given as a Map (ids to values), written as the object those entries would make: array-index ids
 * first in numeric order, then the others in insertion order. Never empty (an empty map is given as {}), and no value
 * shapes to a function (an id "toJSON" is then an ordinary key).
 */
export class MapEntries {
  constructor(readonly entries: ReadonlyMap<string, unknown>) {}
}

/** Characters JSON.stringify writes escaped (quote, backslash, controls) or may (surrogates: lone ones are escaped). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** The text so far: `parts[0..n)`; a piece is taken back by lowering `n`. Slots at `high` and above are ''. */
class Pieces {
  parts: string[] = [];
  n = 0;
  /** The most pieces this text has had. */
  high = 0;
  push(s: string): void {
    this.parts[this.n++] = s;
    if (this.n > this.high) this.high = this.n;
  }
  /** The pieces joined (the array holds only this text's: a longer one before it is cut off). */
  join(): string {
    const parts = this.parts;
    for (let i = this.n; i < this.high; i++) parts[i] = ''; // taken back
    if (parts.length > 2 * this.high + 64) parts.length = this.high;
    return parts.join('');
  }
  /** Drops the pieces; the array is kept. */
  clear(): void {
    this.parts.fill('', 0, this.high);
    this.n = 0;
    this.high = 0;
  }
}

/** The pieces array between calls (it keeps its size for texts of the same length). */
let spare: Pieces | undefined;
/** A pieces array that grew past this many (one huge value) is not kept. */
const SPARE_MAX_PIECES = 1 << 16;

/**
 * The JSON text of `v` as the value of property `key` inside a larger JSON.stringify (its toJSON gets `key`), bigint
 * as numbers (encodeJsonValue's retry); undefined when JSON leaves it out. The long way, for values the writer does not
 * walk itself.
 */
function stringifyAt(key: string, v: unknown): string | undefined {
  const text = stringifyBigint({ [key]: v })!; // a computed key: "__proto__" too is an own property
  return text.length === 2 ? undefined : text.slice(JSON.stringify(key).length + 2, -1);
}

/** `encodeJsonValue(shape(t, v))`: the JSON text of `v` shaped to wire type `t`, undefined when JSON leaves it out. */
export function shapedJson(t: WireType, v: unknown): string | undefined {
  // shape passes a scalar through, and encodeJsonValue writes a JsonText given to it (only at the top) as its text
  if (v instanceof JsonText && SCALAR_KINDS.has(t.kind)) return v.text;
  const out = spare ?? new Pieces();
  spare = undefined; // a toJSON called from inside may encode too; it gets an array of its own
  try {
    return writeShaped(out, t, v, '') ? out.join() : undefined;
  } catch (err) {
    // Nested deeper than the writer's recursion goes (or circular): the long way gives JSON.stringify's answer or error.
    if (err instanceof RangeError) return stringifyAt('', shape(t, v));
    throw err;
  } finally {
    if (out.parts.length <= SPARE_MAX_PIECES) {
      out.clear();
      spare = out;
    }
  }
}

const SCALAR_KINDS: ReadonlySet<WireType['kind']> = new Set(['string', 'bytes', 'bool', 'int', 'float']);

/** A value written the long way; false when it is left out. */
function writeText(out: Pieces, text: string | undefined): boolean {
  if (text === undefined) return false;
  out.push(text);
  return true;
}

function writeString(out: Pieces, s: string): void {
  if (NEEDS_ESCAPE.test(s)) out.push(JSON.stringify(s));
  else {
    out.push('"');
    out.push(s);
    out.push('"');
  }
}

function writeNumber(out: Pieces, n: number): void {
  out.push(Number.isFinite(n) ? String(n) : 'null');
}

/** A primitive as JSON.stringify writes it under `key`; false when it is left out (undefined, function, symbol). */
function writePrimitive(out: Pieces, v: unknown, key: string): boolean {
  switch (typeof v) {
    case 'string':
      writeString(out, v);
      return true;
    case 'number':
      writeNumber(out, v);
      return true;
    case 'bigint':
      // JSON.stringify would call a BigInt.prototype.toJSON that someone defined
      if (typeof (BigInt.prototype as { toJSON?: unknown }).toJSON === 'function') return writeText(out, stringifyAt(key, v));
      writeNumber(out, Number(v));
      return true;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return true;
    case 'object': // null
      out.push('null');
      return true;
    default:
      return false;
  }
}

/** An object whose own keys JSON.stringify lists and nothing else decides about: an Object (or null-prototype) one. */
function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** An Array (not a subclass, no toJSON). */
function isPlainArray(v: unknown[]): boolean {
  return Object.getPrototypeOf(v) === Array.prototype && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** `v` as JSON.stringify writes it under `key` (what shape passes through untouched). */
function writeValue(out: Pieces, v: unknown, key: string): boolean {
  if (typeof v !== 'object' || v === null) return writePrimitive(out, v, key);
  if (Array.isArray(v)) {
    if (!isPlainArray(v)) return writeText(out, stringifyAt(key, v));
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      if (!writeValue(out, v[i], String(i))) out.push('null');
    }
    out.push(']');
    return true;
  }
  if (!isPlainObject(v)) return writeText(out, stringifyAt(key, v));
  writeObjectKeys(out, v as Record<string, unknown>, writeValue);
  return true;
}

/** `JSON.stringify(cloneJson(v))` under `key`: every non-array object becomes a plain copy of its own enumerable keys. */
function writeClone(out: Pieces, v: unknown, key: string): boolean {
  if (typeof v !== 'object' || v === null) return writePrimitive(out, v, key);
  if (Array.isArray(v)) {
    // v.map makes an instance of a subclass, whose toJSON JSON.stringify then calls
    if (Object.getPrototypeOf(v) !== Array.prototype) return writeText(out, stringifyAt(key, cloneJson(v)));
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      // v.map keeps holes, and JSON writes a hole as null
      if (!(i in v) || !writeClone(out, v[i], String(i))) out.push('null');
    }
    out.push(']');
    return true;
  }
  // the copy keeps an own toJSON, which JSON.stringify calls
  if (Object.prototype.hasOwnProperty.call(v, 'toJSON') && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return writeText(out, stringifyAt(key, cloneJson(v)));
  }
  writeObjectKeys(out, v as Record<string, unknown>, writeClone);
  return true;
}

type WriteAt = (out: Pieces, v: unknown, key: string) => boolean;

/** `"k":v` (after a comma unless `first`) with v written by `write`; false when the value is left out (nothing written). */
function writeMember(out: Pieces, first: boolean, k: string, v: unknown, write: WriteAt): boolean {
  const mark = out.n;
  if (!first) out.push(',');
  writeString(out, k);
  out.push(':');
  if (write(out, v, k)) return true;
  out.n = mark;
  return false;
}

/** `{"k":v,...}` over Object.keys(obj), each value written by `write` under its key (left out when it says so). */
function writeObjectKeys(out: Pieces, obj: Record<string, unknown>, write: WriteAt): void {
  out.push('{');
  let first = true;
  for (const k of Object.keys(obj)) if (writeMember(out, first, k, obj[k], write)) first = false;
  out.push('}');
}

/** `shape(t, v)` written as JSON under `key`; false when JSON leaves the shaped value out. */
function writeShaped(out: Pieces, t: WireType, v: unknown, key: string): boolean {
  switch (t.kind) {
    case 'string':
    case 'bytes':
      if (v === null || v === undefined) {
        out.push('""');
        return true;
      }
      return writeValue(out, v, key);
    case 'bool':
      if (v === null || v === undefined) {
        out.push('false');
        return true;
      }
      return writeValue(out, v, key);
    case 'int':
    case 'float':
      if (v === null || v === undefined) {
        out.push('0');
        return true;
      }
      if (typeof v === 'bigint') {
        writeNumber(out, Number(v));
        return true;
      }
      return writeValue(out, v, key);
    case 'any':
      if (v === undefined) {
        out.push('null');
        return true;
      }
      return writeClone(out, v, key);
    case 'slice': {
      if (v === null || v === undefined) {
        out.push('[]');
        return true;
      }
      if (!Array.isArray(v)) return writeClone(out, v, key);
      if (Object.getPrototypeOf(v) !== Array.prototype) return writeText(out, stringifyAt(key, shape(t, v))); // as in writeClone
      const et = resolveWireType(t.elem);
      out.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out.push(',');
        // v.map keeps holes, and JSON writes a hole as null
        if (!(i in v) || !writeShaped(out, et, v[i], String(i))) out.push('null');
      }
      out.push(']');
      return true;
    }
    case 'map': {
      if (v === null || v === undefined) {
        out.push('{}');
        return true;
      }
      if (v instanceof MapEntries) {
        writeEntries(out, resolveWireType(t.value), v.entries);
        return true;
      }
      if (!isObject(v)) return writeClone(out, v, key);
      // a toJSON the shaped copy would keep (an own one) is called by JSON.stringify: shaped the long way
      if (typeof v.toJSON === 'function') return writeText(out, stringifyAt(key, shape(t, v)));
      const vt = resolveWireType(t.value);
      writeObjectKeys(out, v, (o, value, k) => writeShaped(o, vt, value, k));
      return true;
    }
    case 'struct': {
      if (v !== null && v !== undefined && !isObject(v)) return writeClone(out, v, key);
      const obj: Record<string, unknown> = isObject(v) ? v : {};
      // for-in lists inherited keys after the own ones, and a toJSON the shaped copy would keep is called: the long way
      if (!isPlainObject(obj)) return writeText(out, stringifyAt(key, shape(t, v)));
      const plan = structPlan(t);
      // The shaped object gets its known fields first, then the unknown keys; but an object lists array-index keys
      // before all others, so unknown ones of those come first. for-in lists (own) array indexes first too.
      let unknownIndexKeys = false;
      for (const k in obj) {
        if (!isArrayIndexKey(k)) break;
        if (!plan.known.has(k)) {
          unknownIndexKeys = true;
          break;
        }
      }
      out.push('{');
      let first = true;
      if (unknownIndexKeys) {
        for (const k in obj) {
          if (!isArrayIndexKey(k)) break;
          if (!plan.known.has(k) && writeMember(out, first, k, obj[k], writeClone)) first = false;
        }
      }
      for (const f of plan.fields) {
        const fv = obj[f.json];
        if (f.omitempty && isEmptyValue(f.type, fv)) continue;
        const mark = out.n;
        out.push(first ? f.key : f.commaKey);
        if (writeShaped(out, f.type, fv, f.json)) first = false;
        else out.n = mark;
      }
      for (const k in obj) {
        if (plan.known.has(k) || (unknownIndexKeys && isArrayIndexKey(k))) continue;
        if (writeMember(out, first, k, obj[k], writeClone)) first = false;
      }
      out.push('}');
      return true;
    }
  }
}

/** A MapEntries' entries as an object: array-index ids first (ascending), then the rest as they came. */
function writeEntries(out: Pieces, vt: WireType, entries: ReadonlyMap<string, unknown>): void {
  let indexIds: string[] | undefined;
  for (const id of entries.keys()) if (isArrayIndexKey(id)) (indexIds ??= []).push(id);
  const write: WriteAt = (o, v, id) => writeShaped(o, vt, v, id);
  out.push('{');
  let first = true;
  const entry = (id: string) => {
    if (writeMember(out, first, id, entries.get(id), write)) first = false;
  };
  if (indexIds) {
    indexIds.sort((a, b) => Number(a) - Number(b));
    for (const id of indexIds) entry(id);
    for (const id of entries.keys()) if (!isArrayIndexKey(id)) entry(id);
  } else for (const id of entries.keys()) entry(id);
  out.push('}');
}
