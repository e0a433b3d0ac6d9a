// JSON text of one value as the streamed answers write it (lib/api/json-stream.ts), and values encoded ahead of time:
// a source can encode each entry the moment it has it and drop the value, so the encoder holds one flat string where
// it held an object graph (lib/users/stream-user-profiles.ts).

const bigintAsNumber = (_k: string, v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

/** An entry's (or array item's) value already encoded: written as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * JSON text of one value, as JSON.stringify inside a larger body would write it (undefined: left out); bigint values
 * as numbers (what lib/api/handle.ts does as a fallback for whole bodies). A JsonText is its text.
 */
export function encodeJsonValue(value: unknown): string | undefined {
  if (value instanceof JsonText) return value.text;
  return stringifyBigint(value);
}

/** JSON.stringify(value), with bigint values as numbers (a JsonText here is an ordinary object). */
export function stringifyBigint(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return JSON.stringify(value, bigintAsNumber);
  }
}
