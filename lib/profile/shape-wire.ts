// The Go encoding of a Comet wire type: a JSON value re-encoded the way Go's encoding/json would marshal it into that
// type (lib/profile/shaped-json.ts writes the same as text without building it).
import { resolveWireType, type WireType } from '../comet/validate';
import { cloneJson, isObject, put, type JsonObject } from './json-value';
import { isEmptyValue, structPlan } from './struct-plan';

/**
 * Re-encodes a JSON value the way Go would marshal it into the wire type `typeExpr`: struct fields in
 * Go order with zero values for absent non-omitempty fields, omitempty fields dropped when zero
 * (omitempty struct fields are treated as pointers: dropped only when absent/null), unknown fields
 * kept after the known ones, bigint turned into number. Nil maps/slices become {} / [] and a nil
 * []byte becomes "". Values that do not fit the type are passed through unchanged.
 */
export function shapeWire(typeExpr: string, value: unknown): unknown {
  return shape(resolveWireType(typeExpr), value);
}

/** `v` shaped to the resolved wire type `t` (shapeWire). */
export function shape(t: WireType, v: unknown): unknown {
  switch (t.kind) {
    case 'string':
      return v === null || v === undefined ? '' : v;
    case 'bool':
      return v === null || v === undefined ? false : v;
    case 'int':
    case 'float':
      return v === null || v === undefined ? 0 : typeof v === 'bigint' ? Number(v) : v;
    case 'bytes':
      return v === null || v === undefined ? '' : v;
    case 'any':
      return v === undefined ? null : cloneJson(v);
    case 'slice': {
      if (v === null || v === undefined) return [];
      if (!Array.isArray(v)) return cloneJson(v);
      const et = resolveWireType(t.elem);
      return v.map((el) => shape(et, el));
    }
    case 'map': {
      if (v === null || v === undefined) return {};
      if (!isObject(v)) return cloneJson(v);
      const vt = resolveWireType(t.value);
      const out: JsonObject = {};
      for (const k of Object.keys(v)) put(out, k, shape(vt, v[k]));
      return out;
    }
    case 'struct': {
      if (v !== null && v !== undefined && !isObject(v)) return cloneJson(v);
      const obj: JsonObject = isObject(v) ? v : {};
      const plan = structPlan(t);
      const out: JsonObject = {};
      for (const f of plan.fields) {
        const fv = obj[f.json];
        if (f.omitempty && isEmptyValue(f.type, fv)) continue;
        out[f.json] = shape(f.type, fv);
      }
      for (const k in obj) if (!plan.known.has(k)) put(out, k, cloneJson(obj[k]));
      return out;
    }
  }
}

