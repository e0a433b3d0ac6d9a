'use client';
// A search in words, above the job table: "Type is Backup, Failed, started in the last 7 days". Built from
// the same field names, operator labels and value pickers as the builder, so the two always agree.
import { useTranslations } from 'next-intl';
import type { SearchClause } from '@/lib/adapters/console/job-search-url';
import type { TenantOption } from '@/lib/adapters/console/tenant-options';
import { useFormat } from '../format';
import { classificationKey, statusKey } from './job-codes';
import { useFieldLabel, type FieldInfo } from './QueryBuilder';
import { fieldSpec, operatorLabelKey } from './search-fields';

type Names = { tenants?: TenantOption[] | null; groups?: Record<string, string> | null };

export function useQuerySummary(fields: FieldInfo[], names: Names): (clause: SearchClause) => string {
  const t = useTranslations('jobs.summary');
  const tb = useTranslations('jobs.builder');
  const tj = useTranslations('jobs');
  const fmt = useFormat();
  const fieldLabel = useFieldLabel();

  const rule = (c: SearchClause): string => {
    const name = c.RuleField ?? '';
    const op = c.RuleOperator ?? '';
    const raw = c.RuleValue ?? '';
    const kind = fields.find((f) => f.name === name)?.kind ?? 'string';
    const ui = fieldSpec(name, kind).ui;
    const field = fieldLabel(name, kind);
    const n = Number(raw);
    if (ui === 'since' && (op === 'int_lt' || op === 'int_lte' || op === 'int_gt' || op === 'int_gte') && Number.isFinite(n)) {
      const start = name.endsWith('Start');
      const within = op === 'int_lt' || op === 'int_lte';
      return t(start ? (within ? 'startedWithin' : 'startedBefore') : within ? 'endedWithin' : 'endedBefore', { span: fmt.span(n) });
    }
    if (ui === 'bool' && (op === 'bool_is' || op === 'bool_nis')) {
      const truthy = ['1', 't', 'true'].includes(raw.trim().toLowerCase());
      return (op === 'bool_is') === truthy ? field : t('not', { condition: field });
    }
    let value: string;
    switch (ui) {
      case 'status':
        value = Number.isFinite(n) ? tj(`status.${statusKey(n)}`) : raw;
        break;
      case 'classification':
        value = Number.isFinite(n) ? tj(`classification.${classificationKey(n)}`) : raw;
        break;
      case 'time':
        value = n > 0 ? fmt.dateTime(n) : raw;
        break;
      case 'bytes':
        value = raw !== '' && Number.isFinite(n) ? fmt.bytes(n) : raw;
        break;
      case 'count':
        value = raw !== '' && Number.isFinite(n) ? fmt.count(n) : raw;
        break;
      case 'tenant':
        value = names.tenants?.find((o) => o.id === raw)?.name ?? t('quoted', { value: raw });
        break;
      case 'group':
        value = raw === '' ? tb('noGroup') : (names.groups?.[raw] ?? t('quoted', { value: raw }));
        break;
      case 'os':
        value = fmt.os(raw);
        break;
      default:
        value = t('quoted', { value: raw });
    }
    const opKey = operatorLabelKey(ui, op);
    const opLabel = tb.has(`ops.${opKey}` as 'ops.int_eq') ? tb(`ops.${opKey}` as 'ops.int_eq') : op;
    return t('rule', { field, op: opLabel, value });
  };

  const walk = (c: SearchClause, top: boolean): string => {
    const type = c.ClauseType ?? '';
    if (type === '') return rule(c);
    const parts = (c.ClauseChildren ?? []).map((child) => walk(child, false));
    const joined = parts.join(type === 'or' || type === 'not_or' ? t('or') : t('and'));
    if (type === 'not_and' || type === 'not_or') return t('not', { condition: parts.length ? `(${joined})` : t('all') });
    if (!parts.length) return type === 'or' ? t('nothing') : t('all');
    return top || parts.length === 1 ? joined : `(${joined})`;
  };

  return (clause) => {
    const text = walk(clause, true);
    return clause.ClauseType !== '' && !(clause.ClauseChildren ?? []).length && clause.ClauseType === 'and' ? text : t('jobsWhere', { conditions: text });
  };
}
