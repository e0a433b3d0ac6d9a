// The OpenAPI 3.1 document, generated from the endpoint registry and Comet's wire types, so it
// can never drift from what the server accepts.
import wire from '../comet/wire-types.json';
import { HALLEY_VERSION } from '../meta/version';
import { endpoints } from './endpoints';
import { AUTH_FIELDS } from './params';

type WireType = { fields?: Array<[string, string, number?]>; underlying?: string };
const TYPES = (wire as unknown as { types: Record<string, WireType> }).types;

type Schema = Record<string, unknown>;

function schemaFor(goType: string, refs: Set<string>): Schema {
  if (goType.startsWith('*')) return schemaFor(goType.slice(1), refs);
  if (goType === '[]byte') return { type: 'string', contentEncoding: 'base64' };
  if (goType.startsWith('[]')) return { type: ['array', 'null'], items: schemaFor(goType.slice(2), refs) };
  const map = /^map\[([^\]]+)\](.+)$/.exec(goType);
  if (map) return { type: ['object', 'null'], additionalProperties: schemaFor(map[2], refs) };
  if (goType === 'string') return { type: 'string' };
  if (goType === 'bool') return { type: 'boolean' };
  if (/^u?int(8|16|32|64)?$/.test(goType)) return { type: 'integer', ...(goType.startsWith('u') ? { minimum: 0 } : {}) };
  if (/^float(32|64)$/.test(goType) || goType === 'number') return { type: 'number' };
  if (goType === 'interface{}' || goType === 'any') return {};
  if (TYPES[goType]) {
    refs.add(goType);
    return { $ref: `#/components/schemas/${goType}` };
  }
  return {};
}

function componentFor(name: string, refs: Set<string>): Schema {
  const t = TYPES[name];
  if (t.underlying) return schemaFor(t.underlying, refs);
  const properties: Record<string, Schema> = {};
  for (const [field, type] of t.fields ?? []) properties[field] = schemaFor(type, refs);
  return { type: 'object', properties, additionalProperties: true };
}

let cached: Schema | undefined;

export function buildOpenApi(): Schema {
  if (cached) return cached;
  const refs = new Set<string>();
  const paths: Record<string, Schema> = {};
  for (const e of endpoints) {
    const properties: Record<string, Schema> = {
      Username: { type: 'string', description: 'Admin or end-user username' },
      AuthType: { type: 'string', enum: ['Password', 'PasswordTOTP', 'SessionKey'] },
      Password: { type: 'string', format: 'password' },
      TOTP: { type: 'string', description: 'Six-digit code, with AuthType=PasswordTOTP' },
      SessionKey: { type: 'string', format: 'password', description: 'With AuthType=SessionKey' },
    };
    if (e.auth === 'none') for (const k of AUTH_FIELDS) delete properties[k];
    const required: string[] = [];
    for (const [name, spec] of Object.entries(e.params)) {
      const base =
        spec.kind === 'json'
          ? { type: 'string', contentMediaType: 'application/json', contentSchema: schemaFor(spec.wireType ?? 'interface{}', refs) }
          : spec.kind === 'int'
            ? { type: 'string', pattern: '^-?\\d+$' }
            : spec.kind === 'bool'
              ? { type: 'string', enum: ['true', 'false', '1', '0'] }
              : { type: 'string' };
      const description = [spec.topLevelOnly ? 'Top-level administrators only' : '', spec.description ?? ''].filter(Boolean).join('. ');
      properties[name] = { ...base, ...(description ? { description } : {}), ...(spec.extension ? { 'x-halley-extension': true } : {}) };
      if (!spec.optional) required.push(name);
    }
    paths[e.path] = {
      post: {
        operationId: e.method,
        summary: e.summary,
        tags: [e.path.split('/')[3] ?? 'api'],
        'x-comet-auth': e.auth,
        ...(e.topLevelOnly ? { 'x-top-level-only': true } : {}),
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties, required } } },
        },
        responses: {
          '200': {
            description: `${e.returns}, or {Status, Message} with Status >= 400 on error`,
            // []byte answers (job logs) are the raw text; errors are still JSON.
            content:
              e.returns === '[]byte'
                ? { 'text/plain': { schema: { type: 'string' } }, 'application/json': { schema: { $ref: '#/components/schemas/CometAPIResponseMessage' } } }
                : { 'application/json': { schema: { oneOf: [schemaFor(e.returns, refs), { $ref: '#/components/schemas/CometAPIResponseMessage' }] } } },
          },
        },
      },
    };
  }
  refs.add('CometAPIResponseMessage');
  const schemas: Record<string, Schema> = {};
  const queue = [...refs];
  while (queue.length) {
    const name = queue.pop()!;
    if (schemas[name]) continue;
    const before = new Set(refs);
    schemas[name] = componentFor(name, refs);
    for (const r of refs) if (!before.has(r)) queue.push(r);
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Halley admin API (Comet Server compatible)',
      version: HALLEY_VERSION,
      description: 'Every call is a POST with an application/x-www-form-urlencoded body carrying the credentials and the parameters. JSON parameters are JSON text inside a form field.',
    },
    paths,
    components: { schemas },
  };
  return cached;
}
