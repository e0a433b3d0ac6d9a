// Declarative form parameters for registry entries. Each descriptor knows its Comet encoding
// (raw text, JSON-in-form, integer, boolean), validates and converts one form value, and feeds the
// OpenAPI document and the isolation test matrix.
import { BadRequestError, ForbiddenError } from '../errors';
import { apiMessage, apiMessageWithEnglish, type ApiMessage } from '../i18n/api-messages';
import { validateWire, WireValidationError } from '../comet/validate';

type ParamKind = 'string' | 'int' | 'bool' | 'json';

export type ParamSpec<T = unknown> = {
  kind: ParamKind;
  /** Comet type name for JSON params (validated against the wire types). */
  wireType?: string;
  optional: boolean;
  /** Only top-level admins may pass it (e.g. TargetOrganization). */
  topLevelOnly: boolean;
  description?: string;
  /** A Halley addition to a Comet endpoint (optional by nature; not in the Comet contract). */
  extension?: boolean;
  parse: (raw: string, name: string) => T;
};

type Builder<T> = ParamSpec<T> & {
  optional: false;
  opt(): ParamSpec<T | undefined> & { optional: true };
  topLevel(): Builder<T>;
  describe(text: string): Builder<T>;
  /** An optional parameter Halley adds to a Comet endpoint. */
  halley(): ParamSpec<T | undefined> & { optional: true };
};

function builder<T>(kind: ParamKind, parse: (raw: string, name: string) => T, wireType?: string): Builder<T> {
  // Each modifier returns a new builder from the current one, so they chain in any order.
  const make = (spec: ParamSpec<T>): Builder<T> => ({
    ...spec,
    optional: false,
    opt: () => ({ ...spec, optional: true }) as ParamSpec<T | undefined> & { optional: true },
    topLevel: () => make({ ...spec, topLevelOnly: true }),
    describe: (text: string) => make({ ...spec, description: text }),
    halley: () => ({ ...spec, optional: true, extension: true }) as ParamSpec<T | undefined> & { optional: true },
  });
  return make({ kind, wireType, optional: false, topLevelOnly: false, parse });
}

// strconv.ParseBool's set: what Go sends (true/false) and what JS/PHP send (1/0).
const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

export function parseBool(raw: string, name: string): boolean {
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw new BadRequestError(apiMessage('paramNotBoolean', { name, got: JSON.stringify(raw.slice(0, 40)) }));
}

export function parseInt64(raw: string, name: string): number {
  if (!/^-?\d{1,19}$/.test(raw.trim())) {
    throw new BadRequestError(apiMessage('paramNotInteger', { name, got: JSON.stringify(raw.slice(0, 40)) }));
  }
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n)) throw new BadRequestError(apiMessage('paramOutOfRange', { name }));
  return n;
}

// Text PostgreSQL cannot store (NUL; and in JSONB, escapes of lone UTF-16 surrogates) would fail deep
// inside a query as a 500: refuse it up front, naming the parameter.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What makes text unstorable: the `problem` of the "api" messages that report it. */
function badText(text: string): 'nul' | 'surrogate' | null {
  if (text.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'surrogate';
  return null;
}

/** Name of a form field for a message: what the client sent, shortened and quoted safely. */
function fieldName(name: string): string {
  return JSON.stringify(name.slice(0, 60)).slice(1, -1);
}

/** Every field name and value of a form must be storable text. */
export function checkFormText(form: URLSearchParams): void {
  for (const [key, value] of form) {
    const keyProblem = badText(key);
    if (keyProblem) throw new BadRequestError(apiMessage('paramNameBadText', { problem: keyProblem }));
    const problem = badText(value);
    if (problem) throw new BadRequestError(apiMessage('paramBadText', { path: `'${fieldName(key)}'`, problem }));
  }
}

/** JSON nested deeper than any Comet type goes is refused before a recursive walk meets it. */
const MAX_JSON_DEPTH = 64;

function checkJsonValue(value: unknown, path: string, depth: number): void {
  if (depth > MAX_JSON_DEPTH) throw new BadRequestError(apiMessage('paramTooDeep', { path, limit: String(MAX_JSON_DEPTH) }));
  if (typeof value === 'string') {
    const problem = badText(value);
    if (problem) throw new BadRequestError(apiMessage('paramBadText', { path, problem }));
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new BadRequestError(apiMessage('paramNumberOutOfRange', { path }));
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkJsonValue(item, `${path}[${i}]`, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = badText(key);
      if (problem) throw new BadRequestError(apiMessage('paramKeyBadText', { path, problem }));
      checkJsonValue(item, `${path}.${fieldName(key)}`, depth + 1);
    }
  }
}

/**
 * The parser's complaint in any language: where the JSON breaks (its position, and line and column when the
 * parser says them) after a translated lead-in; English keeps the parser's own words.
 */
export function jsonSyntaxReason(raw: string, english: string): ApiMessage {
  if (raw.trim() === '') return apiMessageWithEnglish('jsonEmpty', {}, english);
  if (/unexpected end of JSON input/i.test(english)) return apiMessageWithEnglish('jsonEndsEarly', {}, english);
  const at = /at position (\d+)/.exec(english);
  const token = /^Unexpected token '(.{1,4})'/u.exec(english);
  if (!at && token) return apiMessageWithEnglish('jsonUnexpectedToken', { token: token[1]! }, english);
  if (!at) return apiMessageWithEnglish('jsonSyntax', {}, english);
  const lc = /\(line (\d+) column (\d+)\)/.exec(english);
  return lc ? apiMessageWithEnglish('jsonSyntaxAtLine', { position: at[1]!, line: lc[1]!, column: lc[2]! }, english) : apiMessageWithEnglish('jsonSyntaxAt', { position: at[1]! }, english);
}

function parseJson(raw: string, name: string, wireType: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new BadRequestError(apiMessage('paramNotJson', { name, type: wireType, reason: jsonSyntaxReason(raw, (err as Error).message) }));
  }
  checkJsonValue(value, `'${name}'`, 0);
  try {
    validateWire(wireType, value, name);
  } catch (err) {
    if (err instanceof WireValidationError) throw new BadRequestError(apiMessage('paramWireInvalid', { path: err.path, reason: err.reason }));
    throw err;
  }
  return value;
}

export const p = {
  string: () => builder<string>('string', (raw) => raw),
  int: () => builder<number>('int', parseInt64),
  bool: () => builder<boolean>('bool', parseBool),
  /** JSON-in-form; validated against the Comet type, then narrowed by the caller. */
  json: <T = Record<string, unknown>>(wireType: string): Builder<NoInfer<T>> => builder<T>('json', (raw, name) => parseJson(raw, name, wireType) as T, wireType),
};

export type ParamShape = Record<string, ParamSpec<unknown>>;
export type ParamValues<S extends ParamShape> = { [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never };

/** Form fields every endpoint accepts: they carry the credentials. */
export const AUTH_FIELDS = new Set(['Username', 'AuthType', 'Password', 'SessionKey', 'TOTP', 'WebAuthnSign']);

export function decodeParams<S extends ParamShape>(shape: S, form: URLSearchParams, opts: { isTopLevel: boolean }): ParamValues<S> {
  for (const key of new Set(form.keys())) {
    if (!(key in shape) && !AUTH_FIELDS.has(key)) {
      throw new BadRequestError(apiMessage('unknownParam', { name: key }));
    }
    if (form.getAll(key).length > 1) throw new BadRequestError(apiMessage('paramRepeated', { name: key }));
  }
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(shape)) {
    const raw = form.get(name);
    if (raw === null) {
      if (!spec.optional) throw new BadRequestError(apiMessage('missingParam', { name }));
      out[name] = undefined;
      continue;
    }
    if (spec.topLevelOnly && !opts.isTopLevel && raw !== '') {
      throw new ForbiddenError(apiMessage('paramTopLevelOnly', { name }));
    }
    out[name] = spec.parse(raw, name);
  }
  return out as ParamValues<S>;
}
