// tenancy-file: system — pushes to the devices of the organization the job names (set by the admin's own, scoped submit or remove)
// News reaches devices (issue 18): every connected device of the item's organization gets a `news` command
// through the live relay (any web node), and a device that connects later gets the organization's current
// list right after its welcome (newsForDevice, called by the device socket), so what it missed while offline
// — new items and removals — arrives with its next connection. Sending twice is harmless: the agent keeps
// items by id. Only devices reporting NEWS_SINCE or later are sent news (an older agent would ignore the frame
// and leave the command waiting for its answer).
import { compareVersions } from '../client-builds/client-version';
import { db } from '../db/client';
import { log } from '../log';
import { relay } from '../live/relay';
import type { TCommand, TCommandResult } from '../live/protocol';
import { newsVersion } from './news-queue';

/** The first reference agent version that keeps news (agent/news-store.ts). */
const NEWS_SINCE = '25.9.6-halley.1';

const PUSH_TIMEOUT_MS = 15_000;
const PUSH_CONCURRENCY = 64;
/** What one connect sends at most: the newest items up to this many characters (a frame is at most 1 MiB). */
const CONNECT_BUDGET_CHARS = 256 * 1024;
const CONNECT_MAX_ITEMS = 100;
/** newsForDevice keeps the lists of this many organizations (the ones read last). */
const CACHE_TENANTS = 500;
const CACHE_MS = 30_000;
const newsCache = new Map<string, { version: string | null; at: number; value: Promise<TNewsCommand> }>();

type TNewsCommand = Extract<TCommand, { type: 'news' }>;

function understandsNews(version: string): boolean {
  return compareVersions(version, NEWS_SINCE) >= 0;
}

/** The organization's current items, newest first, as the `news` command a device gets after its welcome. */
async function readNews(tenantId: string): Promise<TNewsCommand> {
  const rows = await db().newsItem.findMany({
    where: { tenantId },
    orderBy: [{ dateTime: 'desc' }, { seq: 'desc' }],
    take: CONNECT_MAX_ITEMS,
    select: { id: true, dateTime: true, textContent: true },
  });
  const entries: TNewsCommand['entries'] = [];
  let budget = CONNECT_BUDGET_CHARS;
  for (const r of rows) {
    budget -= r.textContent.length;
    if (budget < 0) break;
    entries.push({ id: r.id, dateTime: Number(r.dateTime), text: r.textContent });
  }
  return { type: 'news', replace: true, entries, removed: [] };
}

/**
 * readNews, kept per organization while the news version counter (news-queue.ts) stays the same: a reconnect
 * storm (every device after an update campaign, a web node restarting) costs one Redis GET per device, not a
 * query. Any submit or removal bumps the counter before its push is queued, so a device that connects after the
 * change reads the new list, and one that connected before it is reached by the push. CACHE_MS only covers a
 * bump that never reached Redis; without Redis the list is read every time.
 */
async function newsForDevice(tenantId: string): Promise<TNewsCommand> {
  const version = await newsVersion().catch(() => undefined);
  if (version === undefined) return readNews(tenantId);
  const hit = newsCache.get(tenantId);
  if (hit && hit.version === version && Date.now() - hit.at < CACHE_MS) return hit.value;
  const value = readNews(tenantId);
  value.catch(() => newsCache.get(tenantId)?.value === value && newsCache.delete(tenantId));
  newsCache.delete(tenantId); // re-inserted last: the Map's order is the eviction order
  newsCache.set(tenantId, { version, at: Date.now(), value });
  if (newsCache.size > CACHE_TENANTS) newsCache.delete(newsCache.keys().next().value!);
  return value;
}

/** Called by the device socket after the welcome: the current list to a device that keeps news. Never throws. */
export async function sendNewsOnConnect(tenantId: string, version: string, conn: { send(cmd: TCommand, timeoutMs: number): Promise<TCommandResult> }): Promise<void> {
  if (!understandsNews(version)) return;
  try {
    const result = await conn.send(await newsForDevice(tenantId), PUSH_TIMEOUT_MS);
    if (!result.ok) log.info({ tenantId, message: result.message }, 'a device refused the news list');
  } catch (err) {
    log.info({ tenantId, err: (err as Error).message }, 'could not send the news list to a device that connected');
  }
}

/** The workers' job: one item (or one removal) to every connected device of the organization. */
export async function pushNews({ tenantId, newsId, removedId }: { tenantId: string; newsId?: string; removedId?: string }): Promise<{ devices: number; delivered: number }> {
  let cmd: TNewsCommand;
  if (newsId) {
    const item = await db().newsItem.findFirst({ where: { id: newsId, tenantId }, select: { id: true, dateTime: true, textContent: true } });
    if (!item) return { devices: 0, delivered: 0 }; // removed meanwhile: its removal is pushed by its own job
    cmd = { type: 'news', replace: false, entries: [{ id: item.id, dateTime: Number(item.dateTime), text: item.textContent }], removed: [] };
  } else if (removedId) {
    cmd = { type: 'news', replace: false, entries: [], removed: [removedId] };
  } else return { devices: 0, delivered: 0 };
  const targets = (await relay().listConnections()).filter((c) => c.tenantId === tenantId && understandsNews(c.version));
  let delivered = 0;
  for (let i = 0; i < targets.length; i += PUSH_CONCURRENCY) {
    const results = await Promise.allSettled(targets.slice(i, i + PUSH_CONCURRENCY).map((c) => relay().command(c, cmd, PUSH_TIMEOUT_MS)));
    delivered += results.filter((r) => r.status === 'fulfilled' && r.value.ok).length;
  }
  log.info({ tenantId, newsId, removedId, devices: targets.length, delivered }, 'news pushed to connected devices');
  return { devices: targets.length, delivered };
}
