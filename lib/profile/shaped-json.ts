// The JSON text of a value shaped to a Comet wire type (lib/profile/shape-wire.ts `shape`), written without building the
// shaped value: `shapedJson(t, v)` is exactly `encodeJsonValue(shape(t, v))` (bigint as numbers). list-users-full
// encodes 100,000 profiles this way: the shaped copy of each profile, its JSON.stringify and the pieces around it were
// most of the ~140 KB allocated per listed profile, and the more a request allocates, the more young-generation
// collections it causes, each of which leaves a little in the old generation until a full one (bench/README.md).
//
// The text is gathered as pieces in one array kept between calls and joined once, so a profile allocates little
// beyond its own text. Values that are not plain JSON data (a Date, a boxed number, an own toJSON) take
// encodeJsonValue, so the bytes stay JSON.stringify's in every case.
import { resolveWireType, type WireType } from '../comet/validate';
import { isArrayIndexKey } from '../json/array-index-key';
import { encodeJsonValue } from '../json/json-text';
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

/** The text so far: `parts[0..n)`; a piece is taken back by lowering `n`. */
class Pieces {
  parts: string[] = [];
  n = 0;
  push(s: string): void {
    this.parts[this.n++] = s;
  }
  /** The pieces joined. */
  join(): string {
    const parts = this.parts;
    for (let i = this.n; i < parts.length; i++) parts[i] = ''; // left over from a longer text, or taken back
    return parts.join('');
  }
}

/** The pieces array between calls: it keeps its size, and a text's pieces are cleared once it is joined. */
let spare: Pieces | undefined;
/** A pieces array that grew past this many (one huge value) is not kept. */
const SPARE_MAX_PIECES = 1 << 16;

/** `encodeJsonValue(shape(t, v))`: the JSON text of `v` shaped to wire type `t`, undefined when JSON leaves it out. */
export function shapedJson(t: WireType, v: unknown): string | undefined {
  const out = spare ?? new Pieces();
  spare = undefined; // a toJSON called from inside may encode too; it gets an array of its own
  try {
    return writeShaped(out, t, v) ? out.join() : undefined;
  } finally {
    if (out.parts.length <= SPARE_MAX_PIECES) {
      out.parts.fill('');
      out.n = 0;
      spare = out;
    }
  }
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

/** A primitive as JSON.stringify writes it; false when it is left out (undefined, function, symbol). */
function writePrimitive(out: Pieces, v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      writeString(out, v);
      return true;
    case 'number':
      writeNumber(out, v);
      return true;
    case 'bigint':
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

/** Text encoded elsewhere; false when it is left out. */
function writeText(out: Pieces, text: string | undefined): boolean {
  if (text === undefined) return false;
  out.push(text);
  return true;
}

/** `v` as JSON.stringify writes it (what shape passes through untouched). */
function writeValue(out: Pieces, v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return writePrimitive(out, v);
  const proto = Object.getPrototypeOf(v);
  const plain = Array.isArray(v) ? proto === Array.prototype : proto === Object.prototype || proto === null;
  if (!plain || typeof (v as { toJSON?: unknown }).toJSON === 'function') return writeText(out, encodeJsonValue(v));
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      if (!writeValue(out, v[i])) out.push('null');
    }
    out.push(']');
    return true;
  }
  writeObjectKeys(out, v as Record<string, unknown>, writeValue);
  return true;
}

/** `JSON.stringify(cloneJson(v))`: every non-array object becomes a plain copy of its own enumerable keys. */
function writeClone(out: Pieces, v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return writePrimitive(out, v);
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      // v.map keeps holes, and JSON writes a hole as null
      if (!(i in v) || !writeClone(out, v[i])) out.push('null');
    }
    out.push(']');
    return true;
  }
  // the copy keeps an own toJSON, which JSON.stringify calls
  if (Object.prototype.hasOwnProperty.call(v, 'toJSON') && typeof (v as { toJSON?: unknown }).toJSON === 'function') return writeText(out, encodeJsonValue(cloneJson(v)));
  writeObjectKeys(out, v as Record<string, unknown>, writeClone);
  return true;
}

/** `{"k":v,...}` over Object.keys(obj), each value written by `write` (left out when it says so). */
function writeObjectKeys(out: Pieces, obj: Record<string, unknown>, write: (out: Pieces, v: unknown) => boolean): void {
  out.push('{');
  let first = true;
  for (const k of Object.keys(obj)) {
    const mark = out.n;
    if (!first) out.push(',');
    writeString(out, k);
    out.push(':');
    if (write(out, obj[k])) first = false;
    else out.n = mark;
  }
  out.push('}');
}

/** `shape(t, v)` written as JSON; false when JSON leaves the shaped value out. */
function writeShaped(out: Pieces, t: WireType, v: unknown): boolean {
  switch (t.kind) {
    case 'string':
    case 'bytes':
      if (v === null || v === undefined) {
        out.push('""');
        return true;
      }
      return writeValue(out, v);
    case 'bool':
      if (v === null || v === undefined) {
        out.push('false');
        return true;
      }
      return writeValue(out, v);
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
      return writeValue(out, v);
    case 'any':
      if (v === undefined) {
        out.push('null');
        return true;
      }
      return writeClone(out, v);
    case 'slice': {
      if (v === null || v === undefined) {
        out.push('[]');
        return true;
      }
      if (!Array.isArray(v)) return writeClone(out, v);
      const et = resolveWireType(t.elem);
      out.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out.push(',');
        // v.map keeps holes, and JSON writes a hole as null
        if (!(i in v) || !writeShaped(out, et, v[i])) out.push('null');
      }
      out.push(']');
      return true;
    }
    case 'map': {
      if (v === null || v === undefined) {
        out.push('{}');
        return true;
      }
      const vt = resolveWireType(t.value);
      if (v instanceof MapEntries) {
        writeEntries(out, vt, v.entries);
        return true;
      }
      if (!isObject(v)) return writeClone(out, v);
      if (typeof v.toJSON === 'function') return writeText(out, encodeJsonValue(shape(t, v)));
      writeObjectKeys(out, v, (o, value) => writeShaped(o, vt, value));
      return true;
    }
    case 'struct': {
      if (v !== null && v !== undefined && !isObject(v)) return writeClone(out, v);
      const obj: Record<string, unknown> = isObject(v) ? v : {};
      // A toJSON function that the shaped copy would keep (JSON.stringify then calls it): shaped the long way.
      if (typeof obj.toJSON === 'function') return writeText(out, encodeJsonValue(shape(t, v)));
      const plan = structPlan(t);
      // The shaped object gets its known fields first, then the unknown keys; but an object lists array-index keys
      // before all others, so unknown ones of those come first. for-in lists array indexes first too.
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
          if (plan.known.has(k)) continue;
          const mark = out.n;
          if (!first) out.push(',');
          writeString(out, k);
          out.push(':');
          if (writeClone(out, obj[k])) first = false;
          else out.n = mark;
        }
      }
      for (const f of plan.fields) {
        const fv = obj[f.json];
        if (f.omitempty && isEmptyValue(f.type, fv)) continue;
        const mark = out.n;
        out.push(first ? f.key : f.commaKey);
        if (writeShaped(out, f.type, fv)) first = false;
        else out.n = mark;
      }
      for (const k in obj) {
        if (plan.known.has(k) || (unknownIndexKeys && isArrayIndexKey(k))) continue;
        const mark = out.n;
        if (!first) out.push(',');
        writeString(out, k);
        out.push(':');
        if (writeClone(out, obj[k])) first = false;
        else out.n = mark;
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
  out.push('{');
  let first = true;
  const entry = (id: string) => {
    const mark = out.n;
    if (!first) out.push(',');
    writeString(out, id);
    out.push(':');
    if (writeShaped(out, vt, entries.get(id))) first = false;
    else out.n = mark;
  };
  if (indexIds) {
    indexIds.sort((a, b) => Number(a) - Number(b));
    for (const id of indexIds) entry(id);
    for (const id of entries.keys()) if (!isArrayIndexKey(id)) entry(id);
  } else for (const id of entries.keys()) entry(id);
  out.push('}');
}
