'use client';
// The visual job-search builder: and / or / not-and / not-or groups, nested to any depth, rules with a
// field, an operator and a value; drag a row by its handle to reorder it or move it into another group.
// It edits a Comet SearchClause; the live count comes from count-jobs-for-custom-search.
import { GripVertical, Plus, Trash2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useEffect, useState, type DragEvent } from 'react';
import { listGroups } from '../../../app/(console)/jobs/actions';
import type { SearchClause } from '@/lib/adapters/console/job-search-url';
import { Button } from '../../ui/button';
import { cn } from '../../ui/cn';
import { Input, NativeSelect } from '../../ui/input';
import type { TenantOption } from '@/lib/adapters/console/tenant-options';
import { useAdvanced } from '../ConsoleProviders';
import { useFormat } from '../format';
import { CLASSIFICATIONS, STATUS_CHOICES } from './job-codes';
import { BYTE_UNITS, defaultValue, fieldSpec, operatorLabelKey, operatorsFor, OS_CHOICES, SINCE_UNITS, type FieldUi } from './search-fields';

export type FieldInfo = { name: string; kind: 'string' | 'int' | 'bool' };
type GroupType = 'and' | 'or' | 'not_and' | 'not_or';
type Rule = { id: string; kind: 'rule'; field: string; op: string; value: string };
type Group = { id: string; kind: 'group'; type: GroupType; children: Node[] };
type Node = Rule | Group;

let seq = 0;
const newId = () => `n${++seq}`;

function fromClause(c: SearchClause): Node {
  if (c.ClauseType === '') return { id: newId(), kind: 'rule', field: c.RuleField ?? '', op: c.RuleOperator ?? '', value: c.RuleValue ?? '' };
  return { id: newId(), kind: 'group', type: c.ClauseType, children: (c.ClauseChildren ?? []).map(fromClause) };
}

function toClause(n: Node): SearchClause {
  if (n.kind === 'rule') return { ClauseType: '', RuleField: n.field, RuleOperator: n.op, RuleValue: n.value };
  return { ClauseType: n.type, ClauseChildren: n.children.map(toClause) };
}

/** The tree as a root group (a lone rule is wrapped in an "and"). */
export function rootFrom(clause: SearchClause): Group {
  const n = fromClause(clause);
  return n.kind === 'group' ? n : { id: newId(), kind: 'group', type: 'and', children: [n] };
}

export function clauseOf(root: Group): SearchClause {
  return toClause(root);
}

function mapTree(n: Node, fn: (n: Node) => Node): Node {
  const m = fn(n);
  return m.kind === 'group' ? { ...m, children: m.children.map((c) => mapTree(c, fn)) } : m;
}

function removeNode(n: Group, id: string): { tree: Group; removed?: Node } {
  let removed: Node | undefined;
  const walk = (g: Group): Group => ({
    ...g,
    children: g.children.filter((c) => (c.id === id ? ((removed = c), false) : true)).map((c) => (c.kind === 'group' ? walk(c) : c)),
  });
  return { tree: walk(n), removed };
}

function contains(n: Node, id: string): boolean {
  return n.id === id || (n.kind === 'group' && n.children.some((c) => contains(c, id)));
}

/** Moves `dragId` before `targetId` (or to the end of group `targetId` when `into`). */
function move(root: Group, dragId: string, targetId: string, into: boolean): Group {
  if (dragId === targetId) return root;
  const { tree, removed } = removeNode(root, dragId);
  if (!removed || contains(removed, targetId)) return root;
  const insert = (g: Group): Group => {
    if (into && g.id === targetId) return { ...g, children: [...g.children, removed] };
    const idx = g.children.findIndex((c) => c.id === targetId);
    const children = g.children.map((c) => (c.kind === 'group' ? insert(c) : c));
    if (!into && idx >= 0) children.splice(idx, 0, removed);
    return { ...g, children };
  };
  return insert(tree);
}

/** `tenants` (top-level admins): the organization rule offers the tenants by name. */
export function QueryBuilder({ root, onChange, fields, tenants }: { root: Group; onChange: (g: Group) => void; fields: FieldInfo[]; tenants?: TenantOption[] | null }) {
  const [dragging, setDragging] = useState<string | null>(null);
  const advanced = useAdvanced();
  const groups = useGroupNames(treeUses(root, fields, 'group'));
  const update = (id: string, patch: Partial<Rule> | Partial<Group>) => onChange(mapTree(root, (n) => (n.id === id ? ({ ...n, ...patch } as Node) : n)) as Group);
  const remove = (id: string) => onChange(removeNode(root, id).tree);
  const add = (groupId: string, node: Node) => onChange(mapTree(root, (n) => (n.id === groupId && n.kind === 'group' ? { ...n, children: [...n.children, node] } : n)) as Group);
  const drop = (targetId: string, into: boolean) => {
    if (dragging) onChange(move(root, dragging, targetId, into));
    setDragging(null);
  };
  return (
    <GroupView group={root} isRoot fields={fields} ctx={{ update, remove, add, drop, dragging, setDragging, tenants: tenants ?? null, groups, advanced }} />
  );
}

/** Whether any rule of the tree is on a field shown as `ui`. */
function treeUses(n: Node, fields: FieldInfo[], ui: FieldUi): boolean {
  if (n.kind === 'group') return n.children.some((c) => treeUses(c, fields, ui));
  return uiOf(n.field, fields) === ui;
}

function uiOf(name: string, fields: FieldInfo[]): FieldUi {
  return fieldSpec(name, fields.find((f) => f.name === name)?.kind ?? 'string').ui;
}

/** The user groups (ID -> name), loaded once a rule needs them. */
function useGroupNames(needed: boolean): Record<string, string> | null {
  const [groups, setGroups] = useState<Record<string, string> | null>(null);
  useEffect(() => {
    if (!needed || groups) return;
    let cancelled = false;
    listGroups()
      .then((res) => !cancelled && setGroups(res.ok ? res.data : {}))
      .catch(() => !cancelled && setGroups({}));
    return () => {
      cancelled = true;
    };
  }, [needed, groups]);
  return groups;
}

type Ctx = {
  update: (id: string, patch: Partial<Rule> | Partial<Group>) => void;
  remove: (id: string) => void;
  add: (groupId: string, node: Node) => void;
  drop: (targetId: string, into: boolean) => void;
  dragging: string | null;
  setDragging: (id: string | null) => void;
  tenants: TenantOption[] | null;
  groups: Record<string, string> | null;
  advanced: boolean;
};

function dragProps(id: string, ctx: Ctx) {
  return {
    onDragOver: (e: DragEvent) => {
      if (ctx.dragging && ctx.dragging !== id) e.preventDefault();
    },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      e.stopPropagation();
      ctx.drop(id, false);
    },
  };
}

function Handle({ id, ctx, label }: { id: string; ctx: Ctx; label: string }) {
  return (
    <span
      draggable
      role="button"
      aria-label={label}
      tabIndex={-1}
      data-testid="drag-handle"
      className="cursor-grab text-muted-foreground active:cursor-grabbing"
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', id);
        e.dataTransfer.effectAllowed = 'move';
        ctx.setDragging(id);
      }}
      onDragEnd={() => ctx.setDragging(null)}
    >
      <GripVertical className="size-4" />
    </span>
  );
}

/** A new rule on `field` with its default operator and value. */
function newRule(field: FieldInfo, advanced: boolean): Rule {
  const ui = fieldSpec(field.name, field.kind).ui;
  return { id: newId(), kind: 'rule', field: field.name, op: operatorsFor(ui, advanced)[0], value: defaultValue(ui) };
}

function GroupView({ group, isRoot, fields, ctx }: { group: Group; isRoot?: boolean; fields: FieldInfo[]; ctx: Ctx }) {
  const t = useTranslations('jobs.builder');
  const defaultField = fields.find((f) => f.name === 'BackupJobDetail.Status') ?? fields[0];
  return (
    <div
      className={cn('grid gap-2 rounded-md border p-3', isRoot ? 'bg-card' : 'bg-muted/40', ctx.dragging === group.id && 'opacity-50')}
      data-testid="query-group"
      {...(isRoot ? {} : dragProps(group.id, ctx))}
    >
      <div className="flex flex-wrap items-center gap-2">
        {!isRoot && <Handle id={group.id} ctx={ctx} label={t('drag')} />}
        <NativeSelect aria-label={t('groupType')} className="h-8 w-auto py-0" value={group.type} onChange={(e) => ctx.update(group.id, { type: e.target.value as GroupType })}>
          <option value="and">{t('types.and')}</option>
          <option value="or">{t('types.or')}</option>
          <option value="not_and">{t('types.not_and')}</option>
          <option value="not_or">{t('types.not_or')}</option>
        </NativeSelect>
        <span className="text-xs text-muted-foreground">{t('groupHint')}</span>
        {!isRoot && (
          <Button type="button" variant="ghost" size="icon" className="ms-auto size-8" aria-label={t('removeGroup')} onClick={() => ctx.remove(group.id)}>
            <Trash2 />
          </Button>
        )}
      </div>
      {group.children.length === 0 && <p className="px-1 text-xs text-muted-foreground">{t('emptyGroup')}</p>}
      {group.children.map((c) => (c.kind === 'group' ? <GroupView key={c.id} group={c} fields={fields} ctx={ctx} /> : <RuleView key={c.id} rule={c} fields={fields} ctx={ctx} />))}
      <div
        className={cn('flex flex-wrap gap-2 rounded', ctx.dragging && 'outline-dashed outline-1 outline-primary/40')}
        onDragOver={(e) => ctx.dragging && e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          e.stopPropagation();
          ctx.drop(group.id, true);
        }}
        data-testid="group-drop-zone"
      >
        <Button type="button" variant="outline" size="sm" onClick={() => ctx.add(group.id, newRule(defaultField, ctx.advanced))}>
          <Plus /> {t('addRule')}
        </Button>
        <Button type="button" variant="outline" size="sm" onClick={() => ctx.add(group.id, { id: newId(), kind: 'group', type: 'or', children: [] })}>
          <Plus /> {t('addGroup')}
        </Button>
      </div>
    </div>
  );
}

/** A field's readable name; with advanced options on, its wire name follows in brackets. */
export function useFieldLabel(): (name: string, kind?: FieldInfo['kind'], advanced?: boolean) => string {
  const tf = useTranslations('jobs.fields');
  return (name, kind = 'string', advanced = false) => {
    const spec = fieldSpec(name, kind);
    if (!spec.label) return name;
    const label = tf(`${spec.label}` as 'status');
    return advanced ? `${label} (${name})` : label;
  };
}

function RuleView({ rule, fields, ctx }: { rule: Rule; fields: FieldInfo[]; ctx: Ctx }) {
  const t = useTranslations('jobs.builder');
  const tc = useTranslations('jobs.classification');
  const ts = useTranslations('jobs.status');
  const fmt = useFormat();
  const fieldLabel = useFieldLabel();
  const field = fields.find((f) => f.name === rule.field) ?? { name: rule.field, kind: 'string' as const };
  const ui = fieldSpec(field.name, field.kind).ui;
  const byLabel = (a: FieldInfo, b: FieldInfo) => fieldLabel(a.name, a.kind).localeCompare(fieldLabel(b.name, b.kind), fmt.locale);
  const common = fields.filter((f) => fieldSpec(f.name, f.kind).common);
  const other = fields.filter((f) => !fieldSpec(f.name, f.kind).common).sort(byLabel);
  const ops = operatorsFor(ui, ctx.advanced);
  // A rule from a link or a saved search may use an operator this field doesn't offer by default: keep it.
  const shownOps = ops.includes(rule.op) ? ops : [...ops, rule.op];
  const setField = (name: string) => {
    const f = fields.find((x) => x.name === name)!;
    const next = newRule(f, ctx.advanced);
    ctx.update(rule.id, { field: name, op: next.op, value: next.value });
  };
  const set = (value: string) => ctx.update(rule.id, { value });
  const choice = (options: Array<{ value: string; label: string }>, width = 'w-48') => (
    <NativeSelect aria-label={t('value')} className={cn('h-8 py-0', width)} value={rule.value} onChange={(e) => set(e.target.value)}>
      {!options.some((o) => o.value === rule.value) && <option value={rule.value}>{rule.value || '—'}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </NativeSelect>
  );
  const listOp = rule.op === 'str_eq' || rule.op === 'str_neq' || rule.op === 'int_eq' || rule.op === 'int_neq';
  let value: React.ReactNode;
  if (ui === 'bool') {
    value = choice([
      { value: 'true', label: t('true') },
      { value: 'false', label: t('false') },
    ], 'w-28');
  } else if (ui === 'status' && listOp) {
    value = choice(STATUS_CHOICES.map((s) => ({ value: String(s.code), label: ts(s.key) })));
  } else if (ui === 'classification' && listOp) {
    value = choice(CLASSIFICATIONS.map((c) => ({ value: String(c.code), label: tc(c.key) })));
  } else if (ui === 'tenant' && ctx.tenants && listOp) {
    value = choice(ctx.tenants.map((o) => ({ value: o.id, label: o.name })), 'w-56');
  } else if (ui === 'group' && listOp) {
    value = choice([{ value: '', label: t('noGroup') }, ...Object.entries(ctx.groups ?? {}).map(([id, name]) => ({ value: id, label: name }))], 'w-56');
  } else if (ui === 'os' && listOp) {
    value = choice(OS_CHOICES.map((os) => ({ value: os, label: fmt.os(os) })));
  } else if (ui === 'time') {
    const secs = Number(rule.value);
    value = (
      <span className="flex items-center gap-1">
        <Input
          aria-label={t('value')}
          type="datetime-local"
          className="h-8 w-56"
          value={secs > 0 ? fmt.toInput(secs) : ''}
          onChange={(e) => {
            const at = fmt.fromInput(e.target.value);
            set(Number.isFinite(at) ? String(at) : '');
          }}
        />
        <span className="text-xs text-muted-foreground" data-testid="time-zone">
          {fmt.timeZone}
        </span>
      </span>
    );
  } else if (ui === 'since') {
    const seconds = Number(rule.value) || 0;
    const unit = [...SINCE_UNITS].reverse().find((u) => seconds > 0 && seconds % u.seconds === 0) ?? SINCE_UNITS[2];
    value = (
      <span className="flex items-center gap-1">
        <Input aria-label={t('value')} type="number" min={0} className="h-8 w-24" value={seconds ? seconds / unit.seconds : ''} onChange={(e) => set(String(Math.round(Number(e.target.value) * unit.seconds)))} />
        <NativeSelect aria-label={t('unit')} className="h-8 w-28 py-0" value={unit.key} onChange={(e) => set(String(Math.round((seconds / unit.seconds || 0) * SINCE_UNITS.find((u) => u.key === e.target.value)!.seconds)))}>
          {SINCE_UNITS.map((u) => (
            <option key={u.key} value={u.key}>
              {t(`units.${u.key}`)}
            </option>
          ))}
        </NativeSelect>
      </span>
    );
  } else if (ui === 'bytes' && rule.op.startsWith('int_')) {
    const bytes = Number(rule.value) || 0;
    const unit = [...BYTE_UNITS].reverse().find((u) => bytes > 0 && bytes % u.factor === 0) ?? BYTE_UNITS[3];
    value = (
      <span className="flex items-center gap-1">
        <Input aria-label={t('value')} type="number" min={0} step="any" className="h-8 w-24" value={bytes ? bytes / unit.factor : ''} onChange={(e) => set(e.target.value === '' ? '' : String(Math.round(Number(e.target.value) * unit.factor)))} />
        <NativeSelect aria-label={t('unit')} className="h-8 w-24 py-0" value={unit.key} onChange={(e) => set(String(Math.round((bytes / unit.factor || 0) * BYTE_UNITS.find((u) => u.key === e.target.value)!.factor)))}>
          {BYTE_UNITS.map((u) => (
            <option key={u.key} value={u.key}>
              {u.key}
            </option>
          ))}
        </NativeSelect>
      </span>
    );
  } else {
    value = <Input aria-label={t('value')} className="h-8 w-56" inputMode={field.kind === 'int' && rule.op.startsWith('int_') ? 'numeric' : 'text'} value={rule.value} onChange={(e) => set(e.target.value)} />;
  }
  return (
    <div className={cn('flex flex-wrap items-center gap-2 rounded-md bg-background p-1', ctx.dragging === rule.id && 'opacity-50')} data-testid="query-rule" data-field={rule.field} {...dragProps(rule.id, ctx)}>
      <Handle id={rule.id} ctx={ctx} label={t('drag')} />
      <NativeSelect aria-label={t('field')} className="h-8 w-56 py-0" value={rule.field} onChange={(e) => setField(e.target.value)} title={ctx.advanced ? rule.field : undefined}>
        {!fields.some((f) => f.name === rule.field) && <option value={rule.field}>{rule.field}</option>}
        <optgroup label={t('commonFields')}>
          {common.map((f) => (
            <option key={f.name} value={f.name}>
              {fieldLabel(f.name, f.kind, ctx.advanced)}
            </option>
          ))}
        </optgroup>
        <optgroup label={t('otherFields')}>
          {other.map((f) => (
            <option key={f.name} value={f.name}>
              {fieldLabel(f.name, f.kind, ctx.advanced)}
            </option>
          ))}
        </optgroup>
      </NativeSelect>
      <NativeSelect aria-label={t('operator')} className="h-8 w-48 py-0" value={rule.op} onChange={(e) => ctx.update(rule.id, { op: e.target.value })}>
        {shownOps.map((op) => (
          <option key={op} value={op}>
            {t(`ops.${operatorLabelKey(ui, op) as 'int_eq'}`)}
          </option>
        ))}
      </NativeSelect>
      {value}
      <Button type="button" variant="ghost" size="icon" className="ms-auto size-8" aria-label={t('removeRule')} onClick={() => ctx.remove(rule.id)}>
        <Trash2 />
      </Button>
    </div>
  );
}
