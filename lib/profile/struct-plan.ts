// How a Comet wire struct is encoded the way Go marshals it: its fields in Go order, each with its resolved type and
// omitempty flag (built once per struct type), and Go's omitempty test. Shared by the mapper's shape
// (lib/profile/mapper.ts) and the JSON writer that encodes the same shape without building it
// (lib/profile/shaped-json.ts).
import { resolveWireType, type WireType } from '../comet/validate';
import { isObject } from './json-value';

interface ShapeField {
  json: string;
  /** `"<json>":`, the field's key as written, and the same after a comma. */
  key: string;
  commaKey: string;
  type: WireType;
  omitempty: boolean;
}
interface StructPlan {
  fields: ShapeField[];
  known: ReadonlySet<string>;
}
const structPlans = new WeakMap<WireType, StructPlan>();

/** The encoding plan of struct type `t`. */
export function structPlan(t: Extract<WireType, { kind: 'struct' }>): StructPlan {
  let plan = structPlans.get(t);
  if (!plan) {
    plan = {
      fields: t.fields.map((f) => {
        const key = `${JSON.stringify(f.json)}:`;
        return { json: f.json, key, commaKey: `,${key}`, type: resolveWireType(f.type), omitempty: f.omitempty };
      }),
      known: new Set(t.fields.map((f) => f.json)),
    };
    structPlans.set(t, plan);
  }
  return plan;
}

/** Go's omitempty test (struct-typed omitempty fields are pointers in the SDK: empty only when nil). */
export function isEmptyValue(t: WireType, v: unknown): boolean {
  if (v === null || v === undefined) return true;
  switch (t.kind) {
    case 'string':
    case 'bytes':
      return v === '';
    case 'bool':
      return v === false;
    case 'int':
    case 'float':
      return v === 0 || v === 0n;
    case 'slice':
      return Array.isArray(v) && v.length === 0;
    case 'map':
      return isObject(v) && Object.keys(v).length === 0;
    case 'any':
    case 'struct':
      return false;
  }
}
