// `npm run bench:all`: every benchmark at CI-friendly sizes, one after the other, then one JSON line appended
// to bench/history.jsonl: commit, date, machine, and every ratio the runs reported (Halley / baseline in the
// same run). `npx tsx bench/trend.ts` prints the history and flags a ratio more than 10 % worse than the best
// recorded.
//
// Options: --only profile,jobs,events,events-10k,email,live,storage,campaign,usage,constellation (a comma list; default all)  --no-history (do not append)
//          --dry-run (print the commands only)
// Exit code: 0 when every benchmark ran and produced its report (a missed target is not an error; an unfair
// comparison, i.e. other JSON or other SQL than Halley's, is: bench/sql-check.ts requireFair), 1 otherwise.
// The line is appended also when some benchmark failed; its `failed` field names them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectRatios } from './ratios';

const repoRoot = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(repoRoot, 'bench', 'results');
const HISTORY = path.join(repoRoot, 'bench', 'history.jsonl');

/** Each benchmark at a size that runs in a few minutes on 2 shared cores, and the report it writes. */
const RUNS: Array<{ name: string; script: string; args: string[]; report: string }> = [
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

function main(): number {
  const argv = process.argv.slice(2);
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((argv[onlyAt + 1] ?? '').split(',')) : null;
  const dry = argv.includes('--dry-run');
  const history = !argv.includes('--no-history');
  const ratios: Record<string, number> = {};
  const failed: string[] = [];
  const seconds: Record<string, number> = {};
  for (const run of RUNS) {
    if (only && !only.has(run.name)) continue;
    const cmd = [path.join(repoRoot, 'node_modules', '.bin', 'tsx'), run.script, ...run.args];
    console.log(`\n==> ${run.name}: ${cmd.slice(1).join(' ')}`);
    if (dry) continue;
    const report = path.join(resultsDir, run.report);
    fs.rmSync(report, { force: true }); // a stale report of an earlier run must not be read as this run's
    const started = Date.now();
    const r = spawnSync(cmd[0], cmd.slice(1), { cwd: repoRoot, stdio: 'inherit' });
    seconds[run.name] = Math.round((Date.now() - started) / 1000);
    if (r.status !== 0 || !fs.existsSync(report)) {
      failed.push(run.name);
      console.log(`<== ${run.name} FAILED (exit ${r.status ?? r.signal})`);
      continue;
    }
    Object.assign(ratios, collectRatios(run.name, JSON.parse(fs.readFileSync(report, 'utf8'))));
  }
  if (dry) return 0;
  const line = {
    commit: git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain', '--', 'lib', 'app', 'server.ts', 'bench']) ? '+dirty' : ''),
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadavg: os.loadavg().map((l) => Number(l.toFixed(1))) },
    sizes: Object.fromEntries(RUNS.filter((r) => !only || only.has(r.name)).map((r) => [r.name, r.args.join(' ')])),
    seconds,
    failed,
    ratios,
  };
  console.log(`\nratios: ${JSON.stringify(ratios, null, 2)}`);
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
