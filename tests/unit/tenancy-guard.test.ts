// The tenancy guard: every Prisma call on a tenant-owned model (one with a tenantId column) and every raw
// SQL statement on such a table, in lib/** and app/**, either scopes itself through a lib/tenancy helper or
// carries a marker saying why it may not: `// tenancy: system — <why>` (work without an actor: workers,
// sign-in lookups, outbox readers), `// tenancy: derived — <why>` (ids taken from a row the caller already
// reached through a scoped query), `// tenancy: own — <why>` (the actor's own admin row or session) or
// `// tenancy: top-level — <why>` (after requireTopLevel: every tenant by design). The marker goes on the call's line or one of the MARKER_REACH lines
// above it, or once at the top of a file whose every call is system work (`// tenancy-file: system — <why>`).
// Calls without a `where` (create, createMany) are not checked: what they create is decided by the caller.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const SCAN = ['lib', 'app'];
const SKIP = [path.join('lib', 'generated'), path.join('lib', 'tenancy')];
/** The helpers that put the tenancy rule into a statement. */
const HELPERS = /\b(tenantWhere|ownTenantWhere|accountScopeWhere|jobScopeFor|tenantSql|accountScopeSqlParts)\(/;
const MARKER = /\/\/ tenancy: (system|derived|own|top-level) — \S.{8,}/;
const FILE_MARKER = /\/\/ tenancy-file: system — \S.{8,}/;
const MARKER_REACH = 4;
/** SQL text spans lines: its marker sits above the statement, up to this many lines above the table's name. */
const SQL_MARKER_REACH = 8;
const WHERE_METHODS = [
  'findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'count', 'aggregate', 'groupBy',
  'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany',
];

/** Models and tables with a tenantId column, read from the schema. */
export function tenantOwnedModels(schema: string): string[] {
  const models: string[] = [];
  for (const m of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) if (/^\s+tenantId\s/m.test(m[2])) models.push(m[1]);
  return models;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (SKIP.some((s) => path.relative(ROOT, p) === s)) continue;
    if (e.isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx|mts)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The text from `open` (an opening bracket) to its matching close; strings and comments are not special-cased. */
function balanced(text: string, open: number): string {
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']', '`': '`' };
  const close = pairs[text[open]];
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[open] === '`') {
      if (i > open && text[i] === '`') return text.slice(open, i + 1);
      continue;
    }
    if (text[i] === text[open]) depth++;
    else if (text[i] === close && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

export type Finding = { file: string; line: number; what: string };

export function scanSource(file: string, text: string, models: string[]): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split('\n');
  if (FILE_MARKER.test(lines.slice(0, 15).join('\n'))) return findings;
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  // Names bound to a helper's result (`const scope = tenantWhere(actor)`, `const where = { ...tenantWhere(actor), ... }`).
  const scoped = new Set<string>();
  for (const d of text.matchAll(/\bconst (\w+)(?::[^=\n]+)? = /g)) {
    const start = d.index! + d[0].length;
    const value = '{[('.includes(text[start]) ? balanced(text, start) : text.slice(start, text.indexOf('\n', start));
    if (HELPERS.test(value)) scoped.add(d[1]);
  }
  const usesHelper = (snippet: string) => HELPERS.test(snippet) || [...scoped].some((n) => new RegExp(`(\\.\\.\\.|where:\\s*|[{,]\\s*)${n}\\b(?!\\s*:)|\\$\\{${n}\\}`).test(snippet));
  const marked = (line: number, reach = MARKER_REACH) => lines.slice(Math.max(0, line - 1 - reach), line).some((l) => MARKER.test(l));
  const accessors = models.map((m) => m[0].toLowerCase() + m.slice(1)).join('|');
  const call = new RegExp(`\\.(${accessors})\\s*\\.\\s*(${WHERE_METHODS.join('|')})\\s*\\(`, 'g');
  for (const m of text.matchAll(call)) {
    const args = balanced(text, m.index! + m[0].length - 1);
    const line = lineOf(m.index!);
    if (usesHelper(args) || marked(line)) continue;
    findings.push({ file, line, what: `${m[1]}.${m[2]}` });
  }
  const tables = models.join('|');
  const sql = new RegExp(`\\b(FROM|JOIN|UPDATE|INTO)\\s+"(${tables})"`, 'g');
  for (const m of text.matchAll(sql)) {
    const line = lineOf(m.index!);
    // The statement: from the start of its template or string to its end, roughly the lines around the table.
    const around = lines.slice(Math.max(0, line - 3), line + 6).join('\n');
    if (usesHelper(around) || marked(line, SQL_MARKER_REACH)) continue;
    findings.push({ file, line, what: `SQL ${m[1]} "${m[2]}"` });
  }
  return findings;
}

describe('tenancy guard', () => {
  const models = tenantOwnedModels(fs.readFileSync(path.join(ROOT, 'prisma/schema.prisma'), 'utf8'));

  it('knows the tenant-owned models from the schema', () => {
    expect(models).toEqual(expect.arrayContaining(['Account', 'Device', 'Job', 'Event', 'Webhook', 'AdminUser']));
    expect(models).not.toContain('Tenant');
  });

  it('finds an unscoped call and accepts a helper or a marker', () => {
    const bad = `const a = await db().account.findFirst({ where: { username } });`;
    expect(scanSource('x.ts', bad, models)).toEqual([{ file: 'x.ts', line: 1, what: 'account.findFirst' }]);
    expect(scanSource('x.ts', `await tx.job.updateMany({\n  where: { id, ...tenantWhere(actor) },\n});`, models)).toEqual([]);
    expect(scanSource('x.ts', `// tenancy: system — the worker runs without an actor\nawait db().job.count({ where: {} });`, models)).toEqual([]);
    expect(scanSource('x.ts', `// tenancy: system\nawait db().job.count({ where: {} });`, models)).toHaveLength(1); // a reason is required
    expect(scanSource('x.ts', 'await db().$queryRaw`SELECT id FROM "Event" WHERE id = ${id}`;', models)).toHaveLength(1);
    expect(scanSource('x.ts', 'await db().$queryRaw`SELECT id FROM "Event" WHERE ${tenantSql(actor)}`;', models)).toEqual([]);
    expect(scanSource('x.ts', 'const scope = tenantWhere(actor);\nawait db().device.count({ where: scope });\nawait db().job.count({ where: { id, ...scope } });', models)).toEqual([]);
    expect(scanSource('x.ts', 'const scope = { id };\nawait db().device.count({ where: scope });', models)).toHaveLength(1);
  });

  it('every query on tenant-owned rows in lib/ and app/ is scoped by lib/tenancy or marked', () => {
    const findings = SCAN.flatMap((d) => files(path.join(ROOT, d))).flatMap((f) => scanSource(path.relative(ROOT, f), fs.readFileSync(f, 'utf8'), models));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.what}`)).toEqual([]);
  });
});
