// Compiles Comet's SearchClause tree into a parameterised SQL boolean expression over `"Job" AS j`.
// Field names come only from the whitelist (fields.ts); operators from the fixed table below; every
// value is a bind parameter ($n). Errors are BadRequestError (400) with a message naming the clause.
//
// Semantics (Comet's): ClauseType "" is one rule; "and"/"or" combine ClauseChildren ("and" of nothing
// is true, "or" of nothing is false); "not_and"/"not_or" negate them. str_* compare text exactly (the
// _ci forms case-insensitively), *contains/*startswith/*endswith are substring tests (no wildcards),
// str_regexmatch uses PostgreSQL's regular expressions (checked by checkSearchRegexes before a query
// runs), int_* need a decimal integer, bool_* take strconv.ParseBool's spellings.
import { BadRequestError } from '../errors';
import { searchField, type SearchField } from './fields';
import { apiMessage } from '../i18n/api-messages';

export type SearchClause = {
  ClauseType?: string;
  RuleField?: string;
  RuleOperator?: string;
  RuleValue?: string;
  ClauseChildren?: SearchClause[] | null;
};

/** Collects bind values and hands out their placeholders, so several fragments can share one statement. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown, cast: 'text' | 'bigint' | 'boolean' | 'int'): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

type CompiledClause = {
  /** A boolean SQL expression; reference j."..." columns only through the field map. */
  sql: string;
  /** Regular expressions used by the clause, to be checked by checkSearchRegexes() first. */
  regexes: string[];
};

type CompileOptions = {
  /** "now" in Unix seconds, for the relative (TimeSince*) fields. */
  now: number;
  /** Another whitelist of fields (e.g. the device fields of an update campaign's DeviceFilter); default: the job fields. */
  fields?: (name: string) => SearchField | undefined;
};

const MAX_DEPTH = 32;
const MAX_NODES = 1000;
const MAX_VALUE_LENGTH = 4096;

type StringOp = (expr: string, value: string, params: SqlParams) => string;

// LIKE patterns are built from the value with its wildcards escaped, and passed as a parameter.
const likeEscape = (v: string) => v.replace(/[!%_]/g, (c) => `!${c}`);
const like = (kind: 'LIKE' | 'ILIKE', before: string, after: string): StringOp => (expr, v, params) =>
  `${expr} ${kind} ${params.add(before + likeEscape(v) + after, 'text')} ESCAPE '!'`;
const negate = (op: StringOp): StringOp => (expr, v, params) => `NOT (${op(expr, v, params)})`;

const STRING_OPS: Record<string, StringOp> = {
  str_eq: (e, v, p) => `${e} = ${p.add(v, 'text')}`,
  str_eq_ci: (e, v, p) => `lower(${e}) = lower(${p.add(v, 'text')})`,
  str_contains: like('LIKE', '%', '%'),
  str_contains_ci: like('ILIKE', '%', '%'),
  str_startswith: like('LIKE', '', '%'),
  str_startswith_ci: like('ILIKE', '', '%'),
  str_endswith: like('LIKE', '%', ''),
  str_endswith_ci: like('ILIKE', '%', ''),
  str_regexmatch: (e, v, p) => `${e} ~ ${p.add(v, 'text')}`,
};
STRING_OPS.str_neq = (e, v, p) => `${e} <> ${p.add(v, 'text')}`;
STRING_OPS.str_neq_ci = (e, v, p) => `lower(${e}) <> lower(${p.add(v, 'text')})`;
STRING_OPS.str_ncontains = negate(STRING_OPS.str_contains);
STRING_OPS.str_ncontains_ci = negate(STRING_OPS.str_contains_ci);
STRING_OPS.str_nstartswith = negate(STRING_OPS.str_startswith);
STRING_OPS.str_nstartswith_ci = negate(STRING_OPS.str_startswith_ci);
STRING_OPS.str_nendswith = negate(STRING_OPS.str_endswith);
STRING_OPS.str_nendswith_ci = negate(STRING_OPS.str_endswith_ci);
STRING_OPS.str_nregexmatch = (e, v, p) => `${e} !~ ${p.add(v, 'text')}`;

const INT_OPS: Record<string, string> = { int_eq: '=', int_neq: '<>', int_gt: '>', int_gte: '>=', int_lt: '<', int_lte: '<=' };
// "now - column OP v" is "column FLIPPED(OP) now - v": a plain range on the column, so indexes apply.
const FLIPPED: Record<string, string> = { '=': '=', '<>': '<>', '>': '<', '>=': '<=', '<': '>', '<=': '>=' };

const BOOL_OPS: Record<string, string> = { bool_is: '=', bool_nis: '<>' };

/** Every operator the compiler knows (Comet's SEARCHOPERATOR_ constants). */
export const SEARCH_OPERATORS: readonly string[] = Object.freeze([...Object.keys(STRING_OPS), ...Object.keys(INT_OPS), ...Object.keys(BOOL_OPS)].sort());

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function describe(c: SearchClause): string {
  return `${JSON.stringify(c.RuleField ?? '')} ${c.RuleOperator ?? ''} ${JSON.stringify((c.RuleValue ?? '').slice(0, 60))}`;
}

function parseInt64(value: string, c: SearchClause): bigint {
  const v = value.trim();
  if (!/^[+-]?\d{1,19}$/.test(v)) throw new BadRequestError(apiMessage('searchRuleNeedsInteger', { rule: describe(c), op: String(c.RuleOperator) }));
  const n = BigInt(v);
  if (n < INT64_MIN || n > INT64_MAX) throw new BadRequestError(apiMessage('searchRuleInt64', { rule: describe(c) }));
  return n;
}

function compileRule(c: SearchClause, params: SqlParams, opts: CompileOptions, regexes: string[]): string {
  const name = c.RuleField ?? '';
  const op = c.RuleOperator ?? '';
  const raw = c.RuleValue ?? '';
  if (typeof name !== 'string' || typeof op !== 'string' || typeof raw !== 'string') {
    throw new BadRequestError(apiMessage('searchRuleNotStrings'));
  }
  const field: SearchField | undefined = (opts.fields ?? searchField)(name);
  if (!field) throw new BadRequestError(apiMessage('searchFieldUnknown', { field: JSON.stringify(name.slice(0, 100)) }));
  if (raw.length > MAX_VALUE_LENGTH) throw new BadRequestError(apiMessage('searchRuleValueTooLong', { rule: describe(c), limit: String(MAX_VALUE_LENGTH) }));
  const value = field.mapValue ? field.mapValue(raw) : raw;

  if (Object.hasOwn(STRING_OPS, op)) {
    if (field.kind === 'bool') throw new BadRequestError(apiMessage('searchOpNotBoolean', { rule: describe(c), op }));
    if (field.sinceColumn) throw new BadRequestError(apiMessage('searchFieldIntOnly', { rule: describe(c), field: name }));
    if (op === 'str_regexmatch' || op === 'str_nregexmatch') regexes.push(value);
    // Integer fields compare as their decimal text, as Comet's string operators do on numbers.
    const expr = field.kind === 'int' ? `(${field.sql})::text` : field.sql;
    return STRING_OPS[op](expr, value, params);
  }
  if (Object.hasOwn(INT_OPS, op)) {
    if (field.kind !== 'int') throw new BadRequestError(apiMessage('searchOpIntOnly', { rule: describe(c), op }));
    const n = parseInt64(value, c);
    if (field.sinceColumn) {
      const at = BigInt(Math.floor(opts.now)) - n;
      return `${field.sinceColumn} ${FLIPPED[INT_OPS[op]]} ${params.add(at.toString(), 'bigint')}`;
    }
    return `${field.sql} ${INT_OPS[op]} ${params.add(n.toString(), 'bigint')}`;
  }
  if (Object.hasOwn(BOOL_OPS, op)) {
    if (field.kind !== 'bool') throw new BadRequestError(apiMessage('searchOpBoolOnly', { rule: describe(c), op }));
    const v = value.trim();
    if (!TRUE.has(v) && !FALSE.has(v)) throw new BadRequestError(apiMessage('searchOpNeedsBool', { rule: describe(c), op }));
    return `${field.sql} ${BOOL_OPS[op]} ${params.add(TRUE.has(v), 'boolean')}`;
  }
  throw new BadRequestError(apiMessage('searchOpUnknown', { op: JSON.stringify(op.slice(0, 60)), field: JSON.stringify(name.slice(0, 100)) }));
}

/**
 * SearchClause -> SQL boolean expression with bind parameters appended to `params`.
 * Throws BadRequestError for an unknown clause type, field or operator, or a value of the wrong kind.
 */
export function compileSearchClause(clause: SearchClause, params: SqlParams, opts: CompileOptions): CompiledClause {
  const regexes: string[] = [];
  let nodes = 0;
  const walk = (c: SearchClause, depth: number): string => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new BadRequestError(apiMessage('searchClauseNotObject'));
    if (++nodes > MAX_NODES) throw new BadRequestError(apiMessage('searchClauseTooMany', { limit: String(MAX_NODES) }));
    if (depth > MAX_DEPTH) throw new BadRequestError(apiMessage('searchClauseTooDeep', { limit: String(MAX_DEPTH) }));
    const type = c.ClauseType ?? '';
    if (type === '') return compileRule(c, params, opts, regexes);
    const children = c.ClauseChildren ?? [];
    if (!Array.isArray(children)) throw new BadRequestError(apiMessage('clauseChildrenNotArray'));
    const parts = children.map((child) => `(${walk(child, depth + 1)})`);
    switch (type) {
      case 'and':
        return parts.length ? parts.join(' AND ') : 'TRUE';
      case 'or':
        return parts.length ? parts.join(' OR ') : 'FALSE';
      case 'not_and':
        return parts.length ? `NOT (${parts.join(' AND ')})` : 'FALSE';
      case 'not_or':
        return parts.length ? `NOT (${parts.join(' OR ')})` : 'TRUE';
      default:
        throw new BadRequestError(apiMessage('searchClauseTypeUnknown', { type: JSON.stringify(String(type).slice(0, 40)) }));
    }
  };
  const sql = walk(clause, 0);
  return { sql, regexes };
}
