// Issue 22's targets, checked on the reports of one `npm run bench:all` run (bench/all.ts), so that "met in one
// bench:all run recorded in the history" can be read off the history line instead of being assembled by hand.
// Each check applies only at the size the issue names (list-users-full at 10,000 and 100,000 accounts, job search at
// 10,000,000 jobs, live devices at the machine's fd limit, fan-out at 1,000 and 10,000 clients); `--targets` runs
// every benchmark at those sizes. A report at another size yields no check for that target.
type Json = any;

export type TargetCheck = { name: string; value: number; limit: string; met: boolean };

/** The checks every issue-22 verdict needs, by name; a run that lacks one cannot say the issue is met. */
const REQUIRED_TARGETS = [
  'get-user-profile p50 vs baseline',
  'get-user-profile CPU vs baseline',
  'list-users-full 10,000 accounts: peak RSS growth MiB',
  'list-users-full 10,000 accounts: time vs baseline',
  'list-users-full 100,000 accounts: peak RSS growth MiB',
  'list-users-full 100,000 accounts: time vs baseline',
  'webhooks vs bare POST loop',
  'fan-out 1,000 clients vs framed baseline',
  'fan-out 10,000 clients vs framed baseline',
  'job search 10M: first pages p50 ms',
  'job search 10M: first pages vs baseline',
  'job search 10M: page 1,000 vs page 1',
  'live devices 19,500: RSS per connection vs bare ws',
  'live devices 19,500: command round trip p99 ms',
] as const;

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const check = (name: string, value: number, limit: string, met: boolean): TargetCheck => ({ name, value: round(value), limit, met });
/** The worst (largest) of some values; NaN when there are none. */
const worst = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);

export function checkTargets(bench: string, report: Json): TargetCheck[] {
  const out: TargetCheck[] = [];
  if (bench === 'profile') {
    const results: Json[] = report.results ?? [];
    const profile = results.filter((r) => r.endpoint === 'get-user-profile');
    if (profile.length) {
      // Every series (auth, encoding) must meet it: the worst one is the value.
      const p50 = worst(profile.map((r) => r.ratioP50));
      out.push(check('get-user-profile p50 vs baseline', p50, '<= 1.25x', p50 <= 1.25));
      const cpu = worst(profile.map((r) => r.halley.cpuMsPerRequest.halley / r.baseline.cpuMsPerRequest.baseline));
      out.push(check('get-user-profile CPU vs baseline', cpu, '<= 1.5x', cpu <= 1.5));
    }
    const accounts = Number(report.options?.accounts);
    const list = results.filter((r) => r.endpoint === 'list-users-full' && r.peakRssGrowthMiB);
    if (list.length && (accounts === 10_000 || accounts === 100_000)) {
      const size = accounts.toLocaleString('en-US');
      const rss = worst(list.map((r) => r.peakRssGrowthMiB.halley));
      out.push(check(`list-users-full ${size} accounts: peak RSS growth MiB`, rss, '< 64 MiB', rss < 64));
      const time = worst(list.map((r) => r.ratioP50));
      out.push(check(`list-users-full ${size} accounts: time vs baseline`, time, '<= 1.2x', time <= 1.2));
    }
  } else if (bench.startsWith('events')) {
    const f = report.fanout;
    const clients = Number(report.options?.clients);
    if (f && (clients === 1000 || clients === 10_000)) {
      out.push(check(`fan-out ${clients.toLocaleString('en-US')} clients vs framed baseline`, f.ratio, '>= 0.9x', f.ratio >= 0.9));
    }
    const w = report.webhooks;
    if (w) {
      const rate = w.deliveriesPerSec / w.barePostsPerSec;
      out.push(check('webhooks vs bare POST loop', rate, '>= 0.7x', rate >= 0.7));
    }
  } else if (bench === 'jobs' && Number(report.options?.jobs) >= 10_000_000) {
    const firsts: Json[] = (report.results ?? []).filter((r: Json) => / page 1$/.test(r.label));
    const p50 = worst(firsts.map((r) => r.halley.p50));
    out.push(check('job search 10M: first pages p50 ms', p50, '< 20 ms', p50 < 20));
    const ratio = worst(firsts.map((r) => r.ratio));
    out.push(check('job search 10M: first pages vs baseline', ratio, '<= 1.25x', ratio <= 1.25));
    const pages = Number(report.page1000VsPage1?.halley);
    out.push(check('job search 10M: page 1,000 vs page 1', pages, '<= 1.1x', pages <= 1.1));
  } else if (bench === 'live' && Number(report.devices) >= 19_500) {
    // The last round: the first one measures a fresh process and carries one-time costs (bench/README.md, live).
    const h = report.halley.rounds.at(-1).perConnection.rssKiB;
    const b = report.bare.rounds.at(-1).perConnection.rssKiB;
    out.push(check('live devices 19,500: RSS per connection vs bare ws', h / b, '<= 1.2x', h / b <= 1.2));
    const limit = 1.5 * report.bare.rtt.p99 + 5;
    out.push(check('live devices 19,500: command round trip p99 ms', report.halley.rtt.p99, `<= 1.5 x bare p99 + 5 = ${round(limit, 1)} ms`, report.halley.rtt.p99 <= limit));
  }
  return out.filter((c) => Number.isFinite(c.value));
}

/** A table of the checks of one run and the verdict: met only when every required check ran and was met. */
export function targetsReport(checks: TargetCheck[]): { lines: string[]; allMet: boolean } {
  const lines = ['| issue 22 target | value | limit | met |', '| --- | --- | --- | --- |'];
  for (const c of checks) lines.push(`| ${c.name} | ${c.value} | ${c.limit} | ${c.met ? 'yes' : 'NO'} |`);
  const missing = REQUIRED_TARGETS.filter((name) => !checks.some((c) => c.name === name));
  if (missing.length) lines.push('', `not measured in this run (its sizes are not the issue's; \`npm run bench:all -- --targets\` runs them): ${missing.join('; ')}`);
  const allMet = missing.length === 0 && checks.every((c) => c.met);
  lines.push('', allMet ? 'issue 22: every target met in this run' : `issue 22: ${checks.filter((c) => !c.met).length} target(s) missed, ${missing.length} not measured`);
  return { lines, allMet };
}
