// Value generators for the fuzz suite: adversarial strings (NUL, lone surrogates, huge, SQL/regex/JSON
// metacharacters, prototype keys), values shaped like each parameter's Comet wire type (from the same
// type data the server validates with), and hostile JSON text (deep, __proto__/constructor, repeated
// keys, escapes PostgreSQL refuses). Every value is a string: what goes into a form field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { resolveWireType, type WireIntKind } from '../../lib/comet/validate';
import type { ParamSpec } from '../../lib/api/params';

/** Values of the seeded world that make a call reach deeper than "not found" (filled in by the test). */
export type Pool = { users: string[]; tenants: string[]; policies: string[]; devices: string[]; jobs: string[]; webhooks: string[]; admins: string[] };

const NUL_STRINGS = ['\u0000', 'a\u0000b', '\u0000\u0000\u0000', 'user\u0000', '%00'];
const SURROGATES = ['\uD800', '\uDFFF', 'x\uDBFFy', '\uDC00\uD800', 'ok\uD83D'];
const UNICODE = ['é', 'İstanbul', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '👩‍👩‍👧‍👦', '\u202Egnp.exe', 'a\u0301\u0301\u0301', '\uFEFF', '\u2028\u2029', '\u200B', '日本語', 'Ω', '\uFFFF', '\uFFFD'];
const META = [
  '', ' ', '  padded  ', '\t\r\n', "' OR '1'='1", "'; DROP TABLE \"Account\"; --", '%', '_', '\\', '\\x00', '.*', '(?', '[', '$1', '${x}', '{{x}}',
  '<script>alert(1)</script>', '../../etc/passwd', 'C:\\Windows\\', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  'null', 'undefined', 'true', 'NaN', 'Infinity', '-0', '0', '-1', '1e309', '0x10', ' 1', '1.5', '9223372036854775808', '-9223372036854775809',
  '18446744073709551616', '{}', '[]', '{"a":1}', '"quoted"',
];
const HOSTS = ['smtp.invalid', 'ldap.invalid', 'host.invalid:25', 'http://hook.invalid/x', 'https://192.0.2.1.invalid/', 'ldap://ldap.invalid:389', '127.0.0.1:1', 'http://127.0.0.1:1/'];
const HOST_FIELD = /host|url|server|address|endpoint|domain|proxy|ldap|smtp/i;

/** A lone surrogate survives URLSearchParams only as U+FFFD: the body encoder sends it as raw bytes. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** The seeded identifiers a parameter of this name takes (all of them when the name says nothing). */
export function pooledFor(name: string, pool: Pool): string[] {
  if (/user|username/i.test(name)) return pool.users;
  if (/organization|orgid/i.test(name)) return pool.tenants;
  if (/policy/i.test(name)) return pool.policies;
  if (/webhook/i.test(name)) return pool.webhooks;
  if (/job/i.test(name)) return pool.jobs;
  if (/device|targetid/i.test(name)) return pool.devices;
  return [...pool.users, ...pool.tenants, ...pool.policies, ...pool.devices, ...pool.jobs, ...pool.webhooks];
}

/** Plain values a server accepts: short printable text, an email address, a pooled identifier. */
export function benignStringArb(pooled: string[]): fc.Arbitrary<string> {
  const arbs: Array<{ weight: number; arbitrary: fc.Arbitrary<string> }> = [
    { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,15}$/) },
    { weight: 1, arbitrary: fc.constantFrom('ops@example.com', 'Fuzz report', 'en_US', 'Europe/Berlin') },
  ];
  if (pooled.length) arbs.push({ weight: 4, arbitrary: fc.constantFrom(...pooled) });
  return fc.oneof(...arbs);
}

export function stringArb(pool: Pool, pooledOverride?: string[]): fc.Arbitrary<string> {
  const pooled = pooledOverride ?? pooledFor('', pool);
  const arbs: Array<{ weight: number; arbitrary: fc.Arbitrary<string> }> = [
    { weight: 3, arbitrary: fc.constantFrom(...NUL_STRINGS) },
    { weight: 2, arbitrary: fc.constantFrom(...SURROGATES) },
    { weight: 2, arbitrary: fc.constantFrom(...UNICODE) },
    { weight: 4, arbitrary: fc.constantFrom(...META) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'A'.repeat(n)) },
    { weight: 1, arbitrary: fc.uuid() },
  ];
  if (pooled.length) {
    arbs.push({ weight: 6, arbitrary: fc.constantFrom(...pooled) });
    // A real identifier with something hostile attached.
    arbs.push({ weight: 2, arbitrary: fc.tuple(fc.constantFrom(...pooled), fc.constantFrom('\u0000', '\uD800', ' ', '%', '\n')).map(([a, b]) => a + b) });
  }
  return fc.oneof(...arbs);
}

const INT_BOUNDS: Record<WireIntKind, [bigint, bigint]> = {
  int: [-(2n ** 63n), 2n ** 63n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n], int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n], int8: [-128n, 127n], uint: [0n, 2n ** 64n - 1n], uint64: [0n, 2n ** 64n - 1n],
  uint32: [0n, 2n ** 32n - 1n], uint16: [0n, 65535n], uint8: [0n, 255n],
};

/** Text of an integer form value: small, boundaries, just outside the boundaries, and not integers at all. */
export function intTextArb(pool: Pool): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: -5, max: 1_100 }).map(String) },
    { weight: 2, arbitrary: fc.constantFrom('0', '-1', '1', '100', '1000', '1001', '2147483647', '2147483648', '9007199254740991', '9007199254740993', '9223372036854775807', '-9223372036854775808', '99999999999999999999') },
    { weight: 1, arbitrary: fc.bigInt().map(String) },
    { weight: 2, arbitrary: stringArb(pool) },
  );
}

export function boolTextArb(pool: Pool): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom('true', 'false', '1', '0', 'True', 'FALSE', 't', 'f') },
    { weight: 2, arbitrary: fc.constantFrom('yes', 'no', '', '2', 'on', 'true\u0000') },
    { weight: 1, arbitrary: stringArb(pool) },
  );
}

// Enum constants per wire field (types.json marks a field's constant group by name prefix), so numeric
// fields such as EmailOptions.Mode or SearchClause.RuleType often hold a value the server acts on.
const wireDir = join(import.meta.dirname, '../../../shared/comet-wire');
const constants: Array<{ name: string; value: unknown }> = JSON.parse(readFileSync(join(wireDir, 'constants.json'), 'utf8'));
const typesJson: Record<string, { fields?: Array<{ json: string; enum?: string }> }> = JSON.parse(readFileSync(join(wireDir, 'types.json'), 'utf8'));
function enumValues(typeName: string, field: string): unknown[] {
  const prefix = typesJson[typeName]?.fields?.find((f) => f.json === field)?.enum;
  return prefix ? constants.filter((c) => c.name.startsWith(prefix)).map((c) => c.value) : [];
}

const MAX_DEPTH = 4;

/** A JSON value shaped like the Go wire type `expr` (fields omitted at random, leaves hostile or pooled). */
export function wireValueArb(expr: string, pool: Pool, depth = 0, fieldName = '', ownerType = ''): fc.Arbitrary<unknown> {
  const t = resolveWireType(expr);
  // Leaves are mostly plain, so a value often passes validation and reaches the domain code and the database.
  const leafString = HOST_FIELD.test(fieldName)
    ? fc.oneof(fc.constantFrom(...HOSTS), stringArb(pool))
    : fc.oneof({ weight: 3, arbitrary: benignStringArb(pooledFor(fieldName, pool)) }, { weight: 1, arbitrary: stringArb(pool) });
  const enums = ownerType ? enumValues(ownerType, fieldName) : [];
  const withEnums = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => (enums.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...enums) }, { weight: 2, arbitrary: arb }) : arb);
  switch (t.kind) {
    case 'string':
      return withEnums(leafString);
    case 'bool':
      return fc.boolean();
    case 'float':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    case 'bytes':
      return fc.oneof(fc.uint8Array({ maxLength: 32 }).map((b) => Buffer.from(b).toString('base64')), stringArb(pool));
    case 'any':
      return fc.jsonValue({ maxDepth: 2 });
    case 'int': {
      const [min, max] = INT_BOUNDS[t.goType];
      return withEnums(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: Math.max(-5, Number(min)), max: 5000 }) }, { weight: 1, arbitrary: fc.constantFrom(Number(min), Number(max) > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : Number(max)) }));
    }
    case 'slice':
      if (depth >= MAX_DEPTH) return fc.constant([]);
      return fc.array(wireValueArb(t.elem, pool, depth + 1, fieldName, ownerType), { maxLength: 3 });
    case 'map':
      if (depth >= MAX_DEPTH) return fc.constant({});
      return fc.dictionary(stringArb(pool), wireValueArb(t.value, pool, depth + 1, fieldName, ownerType), { maxKeys: 3 });
    case 'struct': {
      if (depth >= MAX_DEPTH) return fc.constant(null);
      // Big structs (UserProfileConfig has dozens of fields): a handful of fields per value.
      const fields = t.fields;
      return fc.subarray([...fields.keys()], { maxLength: Math.min(fields.length, 8) }).chain((idx) =>
        fc.tuple(...idx.map((i) => wireValueArb(fields[i].type, pool, depth + 1, fields[i].json, t.name))).map((vals) => Object.fromEntries(idx.map((i, k) => [fields[i].json, vals[k]]))),
      );
    }
  }
}

/** JSON text that attacks the parser and the database rather than the schema. */
const HOSTILE_JSON = [
  '', 'null', 'true', '0', '"x"', '[]', '{}', '{', '{"a":', '[1,2', 'undefined', 'NaN', '1e999', '123456789012345678901234567890',
  '{"__proto__":{"isAdmin":true,"Status":500}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"a":1,"a":2}',
  '"\\u0000"', '{"Name":"\\u0000"}', '{"Description":"a\\u0000b"}', '{"x":"\\ud800"}', '{"\\u0000":1}', '["\\udfff"]',
  '[' .repeat(5000) + ']'.repeat(5000), '{"a":'.repeat(3000) + '1' + '}'.repeat(3000), '[' .repeat(100_000),
];

/** Injects prototype keys / duplicate keys into the text of a JSON object. */
function mutateJsonText(text: string, how: number): string {
  if (!text.startsWith('{') || text === '{}') return text;
  const inject = ['"__proto__":{"isAdmin":true,"polluted":1},', '"constructor":{"prototype":{"polluted":1}},', `${text.slice(1, text.indexOf(':') + 1)}null,`, '"Unknown\\u0000Field":"\\u0000",'][how % 4];
  return '{' + inject + text.slice(1);
}

export function jsonTextArb(spec: ParamSpec, pool: Pool): fc.Arbitrary<string> {
  const shaped = wireValueArb(spec.wireType ?? 'any', pool);
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.tuple(shaped, fc.nat()).map(([v, n]) => mutateJsonText(JSON.stringify(v), n)) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_JSON) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: stringArb(pool) },
  );
}

/** A form value for one parameter: usually of its kind, sometimes of another kind. */
export function paramValueArb(name: string, spec: ParamSpec, pool: Pool): fc.Arbitrary<string> {
  const pooled = pooledFor(name, pool);
  const text = fc.oneof({ weight: 1, arbitrary: benignStringArb(pooled) }, { weight: 1, arbitrary: stringArb(pool, pooled) });
  const own = spec.kind === 'int' ? intTextArb(pool) : spec.kind === 'bool' ? boolTextArb(pool) : spec.kind === 'json' ? jsonTextArb(spec, pool) : text;
  return fc.oneof({ weight: 5, arbitrary: own }, { weight: 1, arbitrary: fc.oneof(intTextArb(pool), boolTextArb(pool), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))) });
}
