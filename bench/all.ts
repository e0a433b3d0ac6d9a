// `npm run bench:all`: every benchmark at CI-friendly sizes, one after the other, then one JSON line appended
// to bench/history.jsonl: commit, date, machine, and every ratio the runs reported (Halley / baseline in the
// same run). `npx tsx bench/trend.ts` prints the history and flags a ratio more than 10 % worse than the best
// recorded.
//
// Options: --only profile,jobs,events,events-10k,email,live,storage,campaign,usage,constellation (a comma list; default all)  --no-history (do not append)
//          --dry-run (print the commands only)
//          --targets: issue 22's benchmarks at the sizes its targets name instead (list-users-full at 10,000 and 100,000
//          accounts, job search at 10,000,000 jobs, 19,500 live devices, fan-out at 1,000 and 10,000 clients, 20,000
//          webhook deliveries; about 15-20 minutes). Its ratios are recorded under `targets.`, apart from the CI sizes'.
// Every run prints issue 22's targets that its sizes allow checking (bench/targets.ts) and records them in the line.
// Exit code: 0 when every benchmark ran and produced its report (a missed target is not an error; an unfair
// comparison, i.e. other JSON or other SQL than Halley's, is: bench/sql-check.ts requireFair), 1 otherwise.
// The line is appended also when some benchmark failed; its `failed` field names them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectRatios } from './ratios';
import { checkTargets, targetsReport, type TargetCheck } from './targets';

const repoRoot = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(repoRoot, 'bench', 'results');
const HISTORY = path.join(repoRoot, 'bench', 'history.jsonl');

type Run = { name: string; script: string; args: string[]; report: string; /** Ratio names start with this instead of `${name}.` (--targets). */ prefix?: string };

/** Each benchmark at a size that runs in a few minutes on 2 shared cores, and the report it writes. */
const RUNS: Run[] = [
  { name: 'profile', script: 'bench/run.ts', args: ['--accounts', '2000', '--profile-requests', '400', '--list-requests', '3', '--no-c4'], report: 'latest.json' },
  { name: 'jobs', script: 'bench/jobs.ts', args: ['--ci', '--requests', '200'], report: 'jobs-latest.json' },
  { name: 'events', script: 'bench/events.ts', args: ['--clients', '1000', '--events', '2000', '--deliveries', '3000', '--no-send-loop'], report: 'events-latest.json' },
  // The fan-out target holds at 10,000 clients too; 100 events a round (1 GB) fits the kernel's TCP memory, where 1,000
  // (10 GB a round) drives it into pressure and packet drops (bench/README.md, fan-out sessions 18 and 21).
  { name: 'events-10k', script: 'bench/events.ts', args: ['--only', 'fanout', '--clients', '10000', '--events', '100', '--rounds', '5', '--no-send-loop'], report: 'events-latest.json' },
  { name: 'email', script: 'bench/email.ts', args: ['--reports', '100', '--devices', '20'], report: 'email-latest.json' },
  { name: 'live', script: 'bench/live.ts', args: ['--devices', '1000', '--commands', '300', '--rounds', '1'], report: 'live-latest.json' },
  { name: 'storage', script: 'bench/storage.ts', args: ['--mib', '512', '--buckets', '20000', '--requests', '20'], report: 'storage-latest.json' },
  { name: 'campaign', script: 'bench/campaign.ts', args: ['--devices', '500'], report: 'campaign-latest.json' },
  { name: 'usage', script: 'bench/usage.ts', args: ['--accounts', '2000', '--days', '365', '--snapshot-accounts', '10000', '--export-rows', '100000'], report: 'usage.json' },
  { name: 'constellation', script: 'bench/constellation.ts', args: ['--buckets', '20000', '--users', '20000', '--vaults', '200000'], report: 'constellation.json' },
];

/** Issue 22's benchmarks at the sizes its targets name (bench/targets.ts). */
const TARGET_RUNS: Run[] = [
  { name: 'profile', script: 'bench/run.ts', args: ['--accounts', '10000', '--profile-requests', '400', '--list-requests', '3', '--no-c4'], report: 'latest.json', prefix: 'targets.profile-10k.' },
  { name: 'profile', script: 'bench/run.ts', args: ['--only', 'list', '--accounts', '100000', '--list-requests', '2', '--no-c4'], report: 'latest.json', prefix: 'targets.profile-100k.' },
  { name: 'jobs', script: 'bench/jobs.ts', args: ['--jobs', '10000000', '--requests', '200'], report: 'jobs-latest.json', prefix: 'targets.jobs-10m.' },
  { name: 'events', script: 'bench/events.ts', args: ['--clients', '1000', '--events', '2000', '--deliveries', '20000', '--rounds', '5', '--no-send-loop'], report: 'events-latest.json', prefix: 'targets.events.' },
  { name: 'events-10k', script: 'bench/events.ts', args: ['--only', 'fanout', '--clients', '10000', '--events', '100', '--rounds', '5', '--no-send-loop'], report: 'events-latest.json', prefix: 'targets.events-10k.' },
  { name: 'live', script: 'bench/live.ts', args: ['--devices', '19500', '--commands', '2000', '--rounds', '2'], report: 'live-latest.json', prefix: 'targets.live-19500.' },
];

/** The run's name in the history line (two --targets runs are both `profile`). */
const labelOf = (run: Run) => (run.prefix ? run.prefix.slice(0, -1) : run.name);

/** The run's ratios under their names: `bench.name` (CI sizes), or the run's own prefix. */
function ratiosOf(run: Run, report: unknown): Record<string, number> {
  const ratios = collectRatios(run.name, report);
  if (!run.prefix) return ratios;
  return Object.fromEntries(Object.entries(ratios).map(([k, v]) => [run.prefix + k.slice(k.indexOf('.') + 1), v]));
}

function main(): number {
  const argv = process.argv.slice(2);
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((argv[onlyAt + 1] ?? '').split(',')) : null;
  const dry = argv.includes('--dry-run');
  const history = !argv.includes('--no-history');
  const runs = argv.includes('--targets') ? TARGET_RUNS : RUNS;
  const ratios: Record<string, number> = {};
  const checks: TargetCheck[] = [];
  const failed: string[] = [];
  const seconds: Record<string, number> = {};
  for (const run of runs) {
    if (only && !only.has(run.name)) continue;
    const cmd = [path.join(repoRoot, 'node_modules', '.bin', 'tsx'), run.script, ...run.args];
    console.log(`\n==> ${run.name}: ${cmd.slice(1).join(' ')}`);
    if (dry) continue;
    const report = path.join(resultsDir, run.report);
    fs.rmSync(report, { force: true }); // a stale report of an earlier run must not be read as this run's
    const started = Date.now();
    const r = spawnSync(cmd[0], cmd.slice(1), { cwd: repoRoot, stdio: 'inherit' });
    seconds[labelOf(run)] = Math.round((Date.now() - started) / 1000);
    if (r.status !== 0 || !fs.existsSync(report)) {
      failed.push(labelOf(run));
      console.log(`<== ${run.name} FAILED (exit ${r.status ?? r.signal})`);
      continue;
    }
    const json: unknown = JSON.parse(fs.readFileSync(report, 'utf8'));
    Object.assign(ratios, ratiosOf(run, json));
    checks.push(...checkTargets(run.name, json));
  }
  if (dry) return 0;
  const verdict = targetsReport(checks);
  const line = {
    commit: git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain', '--', 'lib', 'app', 'server.ts', 'bench']) ? '+dirty' : ''),
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadavg: os.loadavg().map((l) => Number(l.toFixed(1))) },
    sizes: Object.fromEntries(runs.filter((r) => !only || only.has(r.name)).map((r) => [labelOf(r), r.args.join(' ')])),
    seconds,
    failed,
    ratios,
    targets: Object.fromEntries(checks.map((c) => [c.name, { value: c.value, limit: c.limit, met: c.met }])),
    targetsMet: verdict.allMet,
  };
  console.log(`\nratios: ${JSON.stringify(ratios, null, 2)}`);
  console.log(`\n${verdict.lines.join('\n')}`);
  if (history) {
    fs.appendFileSync(HISTORY, JSON.stringify(line) + '\n');
    console.log(`appended to ${path.relative(process.cwd(), HISTORY)}; trend: npx tsx bench/trend.ts`);
  }
  return failed.length ? 1 : 0;
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

process.exit(main());
