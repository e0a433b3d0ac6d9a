// search-snapshots: files matching a SearchClause in some snapshots of a vault, per snapshot. The clause is
// checked here (shape, clause types, operators) so bad input is a 400 before the device is asked.
import { z } from 'zod';
import { BadRequestError } from '../errors';
import { requireVault } from '../live/require-vault';
import { askDevice, type DispatchTarget } from './ask-device';
import { answerField, ZSearchResultFileInfo } from './device-answer';
import { checkSnapshotIds } from './snapshot-ids';
import { apiMessage } from '../i18n/api-messages';

const CLAUSE_TYPES = new Set(['', 'and', 'or', 'not_and', 'not_or']);
const OPERATORS = new Set([
  'str_eq', 'str_neq', 'str_contains', 'str_ncontains', 'str_startswith', 'str_nstartswith', 'str_endswith', 'str_nendswith', 'str_regexmatch', 'str_nregexmatch',
  'str_eq_ci', 'str_neq_ci', 'str_contains_ci', 'str_ncontains_ci', 'str_startswith_ci', 'str_nstartswith_ci', 'str_endswith_ci', 'str_nendswith_ci',
  'int_eq', 'int_neq', 'int_gt', 'int_gte', 'int_lt', 'int_lte', 'bool_is', 'bool_nis',
]);
/** The fields a snapshot search can test (SearchResultFileInfo's). */
const SEARCH_FIELDS = new Set(['name', 'path', 'type', 'size', 'mtime']);

type Clause = { ClauseType?: unknown; RuleField?: unknown; RuleOperator?: unknown; RuleValue?: unknown; ClauseChildren?: unknown };

function checkClause(c: unknown, depth: number): void {
  if (depth > 16) throw new BadRequestError(apiMessage('filterTooDeep'));
  if (!c || typeof c !== 'object' || Array.isArray(c)) throw new BadRequestError(apiMessage('filterNotClause'));
  const clause = c as Clause;
  const type = clause.ClauseType ?? '';
  if (typeof type !== 'string' || !CLAUSE_TYPES.has(type)) throw new BadRequestError(apiMessage('clauseTypeUnknown', { type: String(type).slice(0, 40) }));
  if (type === '') {
    if (typeof clause.RuleField !== 'string' || !SEARCH_FIELDS.has(clause.RuleField)) {
      throw new BadRequestError(apiMessage('ruleFieldUnknown', { field: String(clause.RuleField ?? '').slice(0, 40), fields: [...SEARCH_FIELDS].join(', ') }));
    }
    if (typeof clause.RuleOperator !== 'string' || !OPERATORS.has(clause.RuleOperator)) throw new BadRequestError(apiMessage('ruleOperatorUnknown', { operator: String(clause.RuleOperator ?? '').slice(0, 40) }));
    if (typeof (clause.RuleValue ?? '') !== 'string') throw new BadRequestError(apiMessage('ruleValueNotString'));
    if (/^str_n?regexmatch$/.test(clause.RuleOperator)) {
      try {
        new RegExp(String(clause.RuleValue ?? ''));
      } catch {
        throw new BadRequestError(apiMessage('ruleValueBadRegex'));
      }
    }
    return;
  }
  const children = clause.ClauseChildren ?? [];
  if (!Array.isArray(children) || children.length > 100) throw new BadRequestError(apiMessage('clauseChildrenTooMany'));
  for (const child of children) checkClause(child, depth + 1);
}

export async function searchSnapshots(opts: DispatchTarget & { destination: string; snapshotIds: unknown; filter: unknown }) {
  const ids = checkSnapshotIds(opts.snapshotIds);
  checkClause(opts.filter, 0);
  const r = await askDevice({
    ...opts,
    build: async ({ accountId }) => {
      await requireVault(accountId, opts.destination);
      return { type: 'request', op: 'search-snapshots', args: { DestinationID: opts.destination, SnapshotIDs: ids, Filter: opts.filter } };
    },
  });
  return { Status: 200, Message: 'OK', SnapshotFiles: answerField(r.data, 'SnapshotFiles', z.record(z.string().max(255), z.array(ZSearchResultFileInfo).max(100_000))) };
}
