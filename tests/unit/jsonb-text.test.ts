// compactJsonbText (lib/json/jsonb-text.ts) turns the text PostgreSQL prints for a jsonb value into the bytes
// JSON.stringify of the parsed value gives, without parsing it. The inputs below are written as jsonb prints
// them (tests/integration/event-stream.test.ts checks it against PostgreSQL itself, with random values).
import { describe, expect, it } from 'vitest';
import { compactJsonbText } from '../../lib/json/jsonb-text';

const same = (text: string) => expect(compactJsonbText(text)).toBe(JSON.stringify(JSON.parse(text)));

describe('compactJsonbText', () => {
  it('drops the spaces jsonb prints, not those inside strings', () => {
    same('{}');
    same('[]');
    same('{"a": 1, "b": [1, 2, {"c": null}], "d": {}}');
    same('{"key with spaces": "a, b: c", "k:": ", "}');
    same('[true, false, null, "x"]');
    same('"a string: with, punctuation"');
    expect(compactJsonbText('{"a": [1, 2]}')).toBe('{"a":[1,2]}');
  });

  it('keeps escapes and unicode as they are, including quotes and backslashes before quotes', () => {
    same('{"q": "say \\"hi\\", ok", "bs": "\\\\", "end\\\\": "\\\\\\"", "u": "é 日本語 😀 \u2028"}');
    same('{"c": "\\u0001\\u001f\\b\\f\\n\\r\\t", "del": "\u007f", "slash": "/"}');
  });

  it('prints numbers as JavaScript does', () => {
    same('{"n": 1.50, "e": 1E+2, "tiny": 0.0000001, "big": 1000000000000000000000, "huge": 1e400, "neg": -0.0}');
    same('[12345678901234567890123, -1.5, 0.30000000000000004, 9007199254740994]');
    expect(compactJsonbText('[1.50, 1e400]')).toBe('[1.5,null]');
  });

  it('puts array-index keys first, as JavaScript orders them', () => {
    same('{"b": "bee", "10": "ten", "2": "two", "01": "not an index"}');
    same('{"a": [{"x": 1, "0": 0}]}');
    expect(compactJsonbText('{"b": 1, "2": 2}')).toBe('{"2":2,"b":1}');
  });

  it('returns text that needs no change as it is', () => {
    const text = '{"a":"b"}';
    expect(compactJsonbText(text)).toBe(text);
  });
});
