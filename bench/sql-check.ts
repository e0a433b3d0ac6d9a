// "Same SQL" check: with log_statement=all switched on for a moment, sends one request of each kind to
// Halley and to the baseline, reads the statements each one ran from the PostgreSQL log (told apart by
// application_name) and compares them as multisets, with IN-lists and parameter numbers normalised
// (`IN ($1,...,$10000)` -> `IN (<10000 params>)`). Parallel statements may log in any order, hence multisets.
import fs from 'node:fs';
import { setPgParams } from './services';

export type Captured = { halley: string[]; baseline: string[] };
export type SqlCheck = { label: string; same: boolean; halley: string[]; baseline: string[]; onlyHalley: string[]; onlyBaseline: string[] };

const LINE = /^\S+ \S+ \S+ \[\d+\] (\S*) LOG:  (?:execute [^:]*|statement): (.*)$/;
const PREFIX = /^\S+ \S+ \S+ \[\d+\] /;

export function normaliseSql(sql: string): string {
  return sql
    .replace(/IN \((\$\d+(?:,\s*\$\d+)*)\)/g, (_m, list: string) => `IN (<${list.split(',').length} params>)`)
    .replace(/\$\d+/g, '$?')
    .replace(/\s+/g, ' ')
    .trim();
}

// Reads that Halley caches for seconds (not per request) land in whichever request comes first:
// lib/auth/login-protection.ts re-reads the login-protection setting at most every 5 s.
const CACHED_READS = [/FROM "public"\."ServerSetting"/];

/** Reads the statements logged since byte offset `from`, per application_name (cached reads left out). */
export function readStatements(logFile: string, from: number): Record<string, string[]> {
  const fd = fs.openSync(logFile, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(size - from);
    fs.readSync(fd, buf, 0, buf.length, from);
    // A statement written over several lines (a $queryRaw template) continues on the lines without a log
    // prefix; any other prefixed line (DETAIL:, another message) ends it.
    const found: Array<[string, string]> = [];
    let open: [string, string] | null = null;
    for (const line of buf.toString('utf8').split('\n')) {
      const m = LINE.exec(line);
      if (m) found.push((open = [m[1], m[2]]));
      else if (open && !PREFIX.test(line)) open[1] += `\n${line}`;
      else open = null;
    }
    const out: Record<string, string[]> = {};
    for (const [app, sql] of found) {
      if (CACHED_READS.some((re) => re.test(sql))) continue;
      (out[app] ??= []).push(normaliseSql(sql));
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

function multisetDiff(a: string[], b: string[]): string[] {
  const counts = new Map<string, number>();
  for (const s of b) counts.set(s, (counts.get(s) ?? 0) + 1);
  const out: string[] = [];
  for (const s of a) {
    const c = counts.get(s) ?? 0;
    if (c > 0) counts.set(s, c - 1);
    else out.push(s);
  }
  return out;
}

async function settleLog(logFile: string): Promise<void> {
  // The log is written by the backends asynchronously to our reply; wait until it stops growing.
  let last = -1;
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const size = fs.statSync(logFile).size;
    if (size === last) return;
    last = size;
  }
}

/** The (normalised) statements application `appName` runs during `send()`. */
export async function captureSql(opts: { adminUrl: string; logFile: string }, appName: string, send: () => Promise<void>): Promise<string[]> {
  await setPgParams(opts.adminUrl, { log_statement: 'all', log_line_prefix: '%m [%p] %a ' });
  try {
    const from = fs.statSync(opts.logFile).size;
    await send();
    await settleLog(opts.logFile);
    return readStatements(opts.logFile, from)[appName] ?? [];
  } finally {
    await setPgParams(opts.adminUrl, { log_statement: null, log_line_prefix: null });
  }
}

/**
 * Runs `send(target)` for Halley, then the baseline, with statement logging on, and compares.
 * `prepare` runs before each side (e.g. to age a session so both take the same path).
 */
export async function checkSameSql(
  opts: { adminUrl: string; logFile: string; label: string },
  send: (target: 'halley' | 'baseline') => Promise<void>,
  prepare?: () => Promise<void>,
): Promise<SqlCheck> {
  const statements: Captured = { halley: [], baseline: [] };
  await setPgParams(opts.adminUrl, { log_statement: 'all', log_line_prefix: '%m [%p] %a ' });
  try {
    for (const target of ['halley', 'baseline'] as const) {
      await prepare?.();
      const from = fs.statSync(opts.logFile).size;
      await send(target);
      await settleLog(opts.logFile);
      statements[target] = readStatements(opts.logFile, from)[target] ?? [];
    }
  } finally {
    await setPgParams(opts.adminUrl, { log_statement: null, log_line_prefix: null });
  }
  const onlyHalley = multisetDiff(statements.halley, statements.baseline);
  const onlyBaseline = multisetDiff(statements.baseline, statements.halley);
  return {
    label: opts.label,
    same: onlyHalley.length === 0 && onlyBaseline.length === 0 && statements.halley.length > 0,
    halley: statements.halley,
    baseline: statements.baseline,
    onlyHalley,
    onlyBaseline,
  };
}

/**
 * An unfair comparison is no result: when the baseline answers other bytes or runs other SQL than Halley,
 * the run stops here (before any measurement) with the differences, unless `--allow-drift` was given, in
 * which case it goes on and the report says `fair: false` in large letters.
 */
export function requireFair(
  checks: { sameJson: boolean; sql: SqlCheck[] },
  allowDrift: boolean,
  say: (msg: string) => void,
): boolean {
  const problems = [
    ...(checks.sameJson ? [] : ['the two servers answer different JSON']),
    ...checks.sql.filter((c) => !c.same).map((c) => `different SQL for ${c.label}: the baseline no longer runs Halley's statements`),
  ];
  if (problems.length === 0) return true;
  const banner = '!'.repeat(100);
  say(banner);
  for (const p of problems) say(`UNFAIR COMPARISON: ${p}`);
  say('Fix the baseline (bench/baseline.ts, bench/baseline-sql.ts) so that it runs what Halley runs; see the differences above.');
  say(banner);
  if (!allowDrift) throw new Error(`unfair comparison (${problems.length} problem(s)); pass --allow-drift to measure anyway`);
  return false;
}
