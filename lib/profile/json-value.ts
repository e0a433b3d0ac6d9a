// Small helpers over JSON values as the profile mapper and its JSON writer see them (inputs are validated JSON).

export type JsonObject = Record<string, unknown>;

/** A non-array object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets an own enumerable property, also for the key "__proto__" (which plain assignment would not). */
export function put(obj: object, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else (obj as Record<string, unknown>)[key] = value;
}

/** Deep copy of a JSON value (bigint kept). */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) put(out, k, cloneJson(v[k]));
    return out as T;
  }
  return v;
}
