// The overview's figures open the job history pre-filtered to exactly the jobs they count (the same status
// ranges as lib/overview/get-overview.ts), optionally for one organization.
import { encodeSearch, type SearchClause } from '@/lib/adapters/console/job-search-url';

export type JobOutcome = 'failed' | 'warning' | 'missed';

const WARNING = '7001';
const MISSED = '7004';

function rule(field: string, op: string, value: string): SearchClause {
  return { ClauseType: '', RuleField: field, RuleOperator: op, RuleValue: value };
}

export function jobSearchHref(outcome: JobOutcome, seconds: number, organizationId?: string): string {
  const status =
    outcome === 'failed'
      ? [rule('Halley.IsFailed', 'bool_is', 'true'), rule('BackupJobDetail.Status', 'int_neq', WARNING), rule('BackupJobDetail.Status', 'int_neq', MISSED)]
      : [rule('BackupJobDetail.Status', 'int_eq', outcome === 'warning' ? WARNING : MISSED)];
  const clause: SearchClause = {
    ClauseType: 'and',
    ClauseChildren: [
      ...status,
      rule('BackupJobDetail.TimeSinceJobStart', 'int_lt', String(seconds)),
      ...(organizationId !== undefined ? [rule('Halley.OrganizationID', 'str_eq', organizationId)] : []),
    ],
  };
  return `/jobs?q=${encodeSearch(clause)}`;
}
