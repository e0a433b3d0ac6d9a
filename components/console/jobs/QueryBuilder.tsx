'use client';
// The visual job-search builder: and / or / not-and / not-or groups, nested to any depth, rules with a
// field, an operator and a value; drag a row by its handle to reorder it or move it into another group.
// It edits a Comet SearchClause; the live count comes from count-jobs-for-custom-search.
import { GripVertical, Plus, Trash2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState, type DragEvent } from 'react';
import type { SearchClause } from '@/lib/adapters/console/job-search-url';
import { Button } from '../../ui/button';
import { cn } from '../../ui/cn';
import { Input, NativeSelect } from '../../ui/input';
import type { TenantOption } from '@/lib/adapters/console/tenant-options';
import { CLASSIFICATIONS, STATUS_CHOICES } from './job-codes';

export type FieldInfo = { name: string; kind: 'string' | 'int' | 'bool' };
type GroupType = 'and' | 'or' | 'not_and' | 'not_or';
type Rule = { id: string; kind: 'rule'; field: string; op: string; value: string };
type Group = { id: string; kind: 'group'; type: GroupType; children: Node[] };
type Node = Rule | Group;

const OPS: Record<FieldInfo['kind'], string[]> = {
  string: ['str_eq', 'str_neq', 'str_contains', 'str_ncontains', 'str_startswith', 'str_nstartswith', 'str_endswith', 'str_nendswith', 'str_eq_ci', 'str_neq_ci', 'str_contains_ci', 'str_ncontains_ci', 'str_startswith_ci', 'str_nstartswith_ci', 'str_endswith_ci', 'str_nendswith_ci', 'str_regexmatch', 'str_nregexmatch'],
  int: ['int_eq', 'int_neq', 'int_gt', 'int_gte', 'int_lt', 'int_lte'],
  bool: ['bool_is', 'bool_nis'],
};

/** Fields with a friendly name in the builder's menu (messages jobs.fields.*), most used first. */
const FRIENDLY_FIELDS = {
  'BackupJobDetail.Status': 'status',
  'BackupJobDetail.Classification': 'classification',
  'Halley.IsFailed': 'isFailed',
  'Halley.IsSuccess': 'isSuccess',
  'Halley.IsRunning': 'isRunning',
  'BackupJobDetail.TimeSinceJobStart': 'timeSinceStart',
  'BackupJobDetail.TimeSinceJobEnd': 'timeSinceEnd',
  'BackupJobDetail.Username': 'username',
  'Halley.DeviceName': 'deviceName',
  'Halley.ProtectedItemName': 'itemName',
  'Halley.StorageVaultName': 'vaultName',
  'Halley.OrganizationID': 'organization',
  'BackupJobDetail.TotalSize': 'totalSize',
  'BackupJobDetail.UploadSize': 'uploadSize',
  'BackupJobDetail.DownloadSize': 'downloadSize',
  'BackupJobDetail.TotalFiles': 'totalFiles',
  'BackupJobDetail.DestinationSizeEnd.Size': 'vaultSize',
  'BackupJobDetail.ClientVersion': 'clientVersion',
  'BackupJobDetail.StartTime': 'startTime',
  'BackupJobDetail.EndTime': 'endTime',
} as const;

const DURATION_FIELDS = new Set(['BackupJobDetail.TimeSinceJobStart', 'BackupJobDetail.TimeSinceJobEnd']);
const UNITS = [
  { key: 'minutes', seconds: 60 },
  { key: 'hours', seconds: 3600 },
  { key: 'days', seconds: 86400 },
] as const;

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
  const update = (id: string, patch: Partial<Rule> | Partial<Group>) => onChange(mapTree(root, (n) => (n.id === id ? ({ ...n, ...patch } as Node) : n)) as Group);
  const remove = (id: string) => onChange(removeNode(root, id).tree);
  const add = (groupId: string, node: Node) => onChange(mapTree(root, (n) => (n.id === groupId && n.kind === 'group' ? { ...n, children: [...n.children, node] } : n)) as Group);
  const drop = (targetId: string, into: boolean) => {
    if (dragging) onChange(move(root, dragging, targetId, into));
    setDragging(null);
  };
  return (
    <GroupView group={root} isRoot fields={fields} ctx={{ update, remove, add, drop, dragging, setDragging, tenants: tenants ?? null }} />
  );
}

type Ctx = {
  update: (id: string, patch: Partial<Rule> | Partial<Group>) => void;
  remove: (id: string) => void;
  add: (groupId: string, node: Node) => void;
  drop: (targetId: string, into: boolean) => void;
  dragging: string | null;
  setDragging: (id: string | null) => void;
  tenants: TenantOption[] | null;
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
          <Button type="button" variant="ghost" size="icon" className="ml-auto size-8" aria-label={t('removeGroup')} onClick={() => ctx.remove(group.id)}>
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
        <Button type="button" variant="outline" size="sm" onClick={() => ctx.add(group.id, { id: newId(), kind: 'rule', field: defaultField.name, op: OPS[defaultField.kind][0], value: '' })}>
          <Plus /> {t('addRule')}
        </Button>
        <Button type="button" variant="outline" size="sm" onClick={() => ctx.add(group.id, { id: newId(), kind: 'group', type: 'or', children: [] })}>
          <Plus /> {t('addGroup')}
        </Button>
      </div>
    </div>
  );
}

function RuleView({ rule, fields, ctx }: { rule: Rule; fields: FieldInfo[]; ctx: Ctx }) {
  const t = useTranslations('jobs.builder');
  const tf = useTranslations('jobs.fields');
  const tc = useTranslations('jobs.classification');
  const ts = useTranslations('jobs.status');
  const field = fields.find((f) => f.name === rule.field) ?? { name: rule.field, kind: 'string' as const };
  const friendly = fields.filter((f) => f.name in FRIENDLY_FIELDS);
  const other = fields.filter((f) => !(f.name in FRIENDLY_FIELDS));
  const label = (name: string) => (name in FRIENDLY_FIELDS ? tf(FRIENDLY_FIELDS[name as keyof typeof FRIENDLY_FIELDS]) : name);
  const setField = (name: string) => {
    const f = fields.find((x) => x.name === name)!;
    ctx.update(rule.id, { field: name, op: OPS[f.kind].includes(rule.op) ? rule.op : OPS[f.kind][0], value: f.kind === 'bool' ? 'true' : '' });
  };
  const isDuration = DURATION_FIELDS.has(rule.field);
  const seconds = Number(rule.value) || 0;
  const unit = [...UNITS].reverse().find((u) => seconds > 0 && seconds % u.seconds === 0) ?? UNITS[2];
  return (
    <div className={cn('flex flex-wrap items-center gap-2 rounded-md bg-background p-1', ctx.dragging === rule.id && 'opacity-50')} data-testid="query-rule" {...dragProps(rule.id, ctx)}>
      <Handle id={rule.id} ctx={ctx} label={t('drag')} />
      <NativeSelect aria-label={t('field')} className="h-8 w-56 py-0" value={rule.field} onChange={(e) => setField(e.target.value)}>
        {!fields.some((f) => f.name === rule.field) && <option value={rule.field}>{rule.field}</option>}
        <optgroup label={t('commonFields')}>
          {friendly.map((f) => (
            <option key={f.name} value={f.name}>
              {label(f.name)}
            </option>
          ))}
        </optgroup>
        <optgroup label={t('otherFields')}>
          {other.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
        </optgroup>
      </NativeSelect>
      <NativeSelect aria-label={t('operator')} className="h-8 w-48 py-0" value={rule.op} onChange={(e) => ctx.update(rule.id, { op: e.target.value })}>
        {OPS[field.kind].map((op) => (
          <option key={op} value={op}>
            {t(`ops.${op as 'int_eq'}`)}
          </option>
        ))}
      </NativeSelect>
      {field.kind === 'bool' ? (
        <NativeSelect aria-label={t('value')} className="h-8 w-28 py-0" value={rule.value} onChange={(e) => ctx.update(rule.id, { value: e.target.value })}>
          <option value="true">{t('true')}</option>
          <option value="false">{t('false')}</option>
        </NativeSelect>
      ) : rule.field === 'BackupJobDetail.Status' && (rule.op === 'int_eq' || rule.op === 'int_neq') ? (
        <NativeSelect aria-label={t('value')} className="h-8 w-48 py-0" value={rule.value} onChange={(e) => ctx.update(rule.id, { value: e.target.value })}>
          <option value="">—</option>
          {STATUS_CHOICES.map((s) => (
            <option key={s.code} value={String(s.code)}>
              {ts(s.key)}
            </option>
          ))}
        </NativeSelect>
      ) : rule.field === 'BackupJobDetail.Classification' && (rule.op === 'int_eq' || rule.op === 'int_neq') ? (
        <NativeSelect aria-label={t('value')} className="h-8 w-48 py-0" value={rule.value} onChange={(e) => ctx.update(rule.id, { value: e.target.value })}>
          <option value="">—</option>
          {CLASSIFICATIONS.map((c) => (
            <option key={c.code} value={String(c.code)}>
              {tc(c.key)}
            </option>
          ))}
        </NativeSelect>
      ) : (rule.field === 'Halley.OrganizationID' || rule.field === 'OrganizationID') && ctx.tenants && (rule.op === 'str_eq' || rule.op === 'str_neq') ? (
        <NativeSelect aria-label={t('value')} className="h-8 w-56 py-0" value={rule.value} onChange={(e) => ctx.update(rule.id, { value: e.target.value })}>
          {!ctx.tenants.some((o) => o.id === rule.value) && <option value={rule.value}>{rule.value || '—'}</option>}
          {ctx.tenants.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </NativeSelect>
      ) : isDuration ? (
        <span className="flex items-center gap-1">
          <Input aria-label={t('value')} type="number" min={0} className="h-8 w-24" value={seconds ? seconds / unit.seconds : ''} onChange={(e) => ctx.update(rule.id, { value: String(Math.round(Number(e.target.value) * unit.seconds)) })} />
          <NativeSelect aria-label={t('unit')} className="h-8 w-28 py-0" value={unit.key} onChange={(e) => ctx.update(rule.id, { value: String((seconds / unit.seconds || 0) * UNITS.find((u) => u.key === e.target.value)!.seconds) })}>
            {UNITS.map((u) => (
              <option key={u.key} value={u.key}>
                {t(`units.${u.key}`)}
              </option>
            ))}
          </NativeSelect>
        </span>
      ) : (
        <Input aria-label={t('value')} className="h-8 w-56" inputMode={field.kind === 'int' ? 'numeric' : 'text'} value={rule.value} onChange={(e) => ctx.update(rule.id, { value: e.target.value })} />
      )}
      <Button type="button" variant="ghost" size="icon" className="ml-auto size-8" aria-label={t('removeRule')} onClick={() => ctx.remove(rule.id)}>
        <Trash2 />
      </Button>
    </div>
  );
}
