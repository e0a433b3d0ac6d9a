// The ratios of each benchmark's report (bench/results/*-latest.json), under stable names, for
// bench/history.jsonl. Every ratio is Halley over its baseline in the same run; `higherIsBetter` says which
// way is good (throughputs: higher; times, CPU and memory: lower).
type Json = any;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toFixed(3)) : undefined);
const div = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? num(a / b) : undefined);
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Ratio names that are throughputs (Halley's rate over the baseline's): higher is better. */
export function higherIsBetter(name: string): boolean {
  return /^(targets\.)?(events\.(fanout|webhooks)\b|storage\.upload$|usage\.export-csv-throughput$)/.test(name);
}

export function collectRatios(bench: string, report: Json): Record<string, number> {
  const out: Record<string, number | undefined> = {};
  if (bench === 'profile') {
    for (const r of report.results ?? []) {
      const key = `profile.${r.endpoint}.${slug(r.auth)}.${slug(r.encoding)}.c${r.concurrency}`;
      out[`${key}.p50`] = num(r.ratioP50);
      out[`${key}.cpu`] = div(r.halley?.cpuMsPerRequest?.halley, r.baseline?.cpuMsPerRequest?.baseline);
      if (r.peakRssGrowthMiB) out[`${key}.rss`] = div(r.peakRssGrowthMiB.halley, r.peakRssGrowthMiB.baseline);
    }
  } else if (bench === 'jobs') {
    for (const r of report.results ?? []) out[`jobs.${slug(r.label)}.p50`] = num(r.ratio);
    out['jobs.page1000-vs-page1'] = num(report.page1000VsPage1?.halley);
  } else if (bench === 'events') {
    // The baseline became one framed buffer per batch (was a ws.send loop, recorded as events.fanout before).
    out['events.fanout-vs-framed'] = num(report.fanout?.ratio);
    out['events.fanout'] = num(report.fanout?.ratioVsSendLoop);
    out['events.webhooks'] = div(report.webhooks?.deliveriesPerSec, report.webhooks?.barePostsPerSec);
  } else if (bench === 'events-10k') {
    out['events.fanout-10k-vs-framed'] = num(report.fanout?.ratio);
  } else if (bench === 'email') {
    out['email.pipeline-vs-parts'] = num(report.ratio);
  } else if (bench === 'live') {
    out['live.rtt.p50'] = div(report.halley?.rtt?.p50, report.bare?.rtt?.p50);
    out['live.rtt.p99'] = div(report.halley?.rtt?.p99, report.bare?.rtt?.p99);
    const h = report.halley?.rounds?.[0]?.perConnection;
    const b = report.bare?.rounds?.[0]?.perConnection;
    out['live.rss-per-connection'] = div(h?.rssKiB, b?.rssKiB);
    out['live.heap-per-connection'] = div(h?.heapKiB, b?.heapKiB);
  } else if (bench === 'storage') {
    out['storage.upload'] = num(report.upload?.throughputRatio);
    out['storage.upload-rss'] = div(report.upload?.halley?.rssGrowthMiB, report.upload?.bare?.rssGrowthMiB);
    out['storage.list-buckets.p50'] = num(report.listBuckets?.ratio);
  } else if (bench === 'campaign') {
    out['campaign.answered-vs-bare'] = num(report.ratio);
    out['campaign.answered-vs-relay-loop'] = num(report.relayRatio);
  } else if (bench === 'constellation') {
    out['constellation.report'] = num(report.ratio);
    out['constellation.heap'] = num(report.heapRatio);
  } else if (bench === 'usage') {
    for (const r of report.ratios ?? []) out[`usage.${slug(r.case)}`] = num(r.ratio);
  }
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, number] => e[1] !== undefined));
}
