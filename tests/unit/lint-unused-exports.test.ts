// No unused exports in the product's modules (lib/, components/, workers/, agent/): an export nobody
// imports is either dead code or a private detail that widens a module's surface for no reader. Imports are
// counted from every source file of the repository (app/, scripts/, bench/ and tests/ included); a namespace
// import, `export *` or a dynamic import counts as using every export of its module.
import { describe, expect, it } from 'vitest';
import { sourceGraph } from './lint-source-graph';

/** Modules whose exports are a published surface rather than imports of this repository. */
const SURFACES: Array<[pathPrefix: string, why: string]> = [
  ['lib/comet/constants.ts', "Comet's constants, generated from the wire contract (scripts/sync-comet-wire.mjs)"],
  ['lib/live/protocol.ts', 'the versioned device protocol: every frame schema is part of it (shared with agent/)'],
  ['components/ui/', 'UI primitives (shadcn-style kit): a component family is kept whole'],
  ['lib/adapters/i18n/request.ts', "next-intl's request config, loaded by path from next.config.mjs"],
];

/**
 * Unused exports in files another helper is rewriting for issue 13 (tenancy into lib/tenancy), allowed
 * until that work lands. This list may only shrink: an entry that is used or gone fails the test below.
 */
const KNOWN_UNUSED = new Set<string>([
  'lib/adapters/ws/event-stream.ts#EVENT_STREAM_PATH',
  'lib/adapters/ws/event-stream.ts#SLOW_CONSUMER_BYTES',
  'lib/adapters/ws/event-stream.ts#MAX_REPLAY',
  'lib/auth/ldap/external-sign-in.ts#ExternalResult',
  'lib/backup-jobs/job-query.ts#MAX_PAGE_LIMIT',
  'lib/backup-jobs/job-query.ts#JobCursor',
  'lib/backup-jobs/job-query.ts#checkPageLimit',
  'lib/email/report-query.ts#MAX_LISTED',
  'lib/email/report-query.ts#MAX_GROUPS',
  'lib/email/report-query.ts#ReportRow',
  'lib/email/report-query.ts#GroupRow',
  'lib/email/report-query.ts#PeriodData',
  'lib/events/stream-revalidation.ts#REVALIDATE_EVERY_MS',
  'lib/events/stream-revalidation.ts#StreamWatch',
  'lib/events/stream-revalidation.ts#canonicalJson',
  'lib/events/stream-revalidation.ts#passwordFingerprint',
  'lib/events/stream-revalidation.ts#revalidateStreams',
  'lib/live/relay.ts#QUEUE_TTL_SECONDS',
  'lib/live/relay.ts#QUEUE_MAX',
  'lib/live/relay.ts#SweepHandler',
  'lib/live/relay.ts#Relay',
  'lib/live/report-job.ts#JobStartReport',
  'lib/tenancy/scope.ts#TenantWhere',
  'lib/users/set-user-profile.ts#ReplaceProfileOptions',
  'lib/webhooks/dispatch.ts#DISPATCH_BATCH',
  'lib/webhooks/dispatch.ts#DispatchResult',
  'lib/webhooks/dispatch.ts#dispatchOnce',
]);

const CHECKED = /^(lib|components|workers|agent)\//;

function unusedExports(): string[] {
  const graph = sourceGraph();
  const used = new Map<string, Set<string> | '*'>();
  for (const file of graph.values()) {
    for (const imp of file.imports) {
      const seen = used.get(imp.to);
      if (seen === '*') continue;
      if (imp.names === '*') used.set(imp.to, '*');
      else used.set(imp.to, new Set([...(seen ?? []), ...imp.names]));
    }
  }
  const out: string[] = [];
  for (const file of graph.values()) {
    if (!CHECKED.test(file.path) || SURFACES.some(([prefix]) => file.path.startsWith(prefix))) continue;
    const names = used.get(file.path);
    if (names === '*') continue;
    for (const name of file.exports.keys()) if (!names?.has(name)) out.push(`${file.path}#${name}`);
  }
  return out.sort();
}

describe('exports', () => {
  const unused = unusedExports();

  it('are all imported somewhere (drop the export keyword, or the code if nothing uses it)', () => {
    const graph = sourceGraph();
    const report = unused
      .filter((u) => !KNOWN_UNUSED.has(u))
      .map((u) => {
        const [path, name] = u.split('#');
        return `${path}:${graph.get(path)!.exports.get(name)} ${name}`;
      });
    expect(report).toEqual([]);
  });

  it('leave the known list only to shrink (remove an entry once it is used or gone)', () => {
    const current = new Set(unused);
    expect([...KNOWN_UNUSED].filter((u) => !current.has(u))).toEqual([]);
  });
});
