// The reference agent's news (issue 18): the news items of its organization (admin/news/submit), pushed by the
// server over the live connection (`news` command: the full list after every connect, then each new item and
// each removal as it happens). Kept in <state dir>/news.json, newest first, so they survive restarts and can be
// shown without a connection: `npm run agent -- --news --state-dir DIR` prints them, and every item that is new
// to the agent is written to the agent's log when it arrives. News is plain text: nothing is rendered.
import fs from 'node:fs';
import path from 'node:path';

type AgentNewsItem = { id: string; dateTime: number; text: string; receivedAt: number };
type TNewsCommand = { replace: boolean; entries: Array<{ id: string; dateTime: number; text: string }>; removed: string[] };

function newsFile(stateDir: string): string {
  return path.join(stateDir, 'news.json');
}

/** The stored items, newest first; none when the agent never received any. */
export function readNews(stateDir: string): AgentNewsItem[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(newsFile(stateDir), 'utf8')) as { items?: AgentNewsItem[] };
    return Array.isArray(parsed.items) ? parsed.items : [];
  } catch {
    return [];
  }
}

/** Applies one `news` command; returns the items that are new to this agent. Written atomically (rename). */
export function applyNews(stateDir: string, cmd: TNewsCommand, now = Date.now()): AgentNewsItem[] {
  const before = readNews(stateDir);
  const known = new Map(before.map((i) => [i.id, i]));
  const removed = new Set(cmd.removed);
  const kept = cmd.replace ? [] : before.filter((i) => !removed.has(i.id));
  const byId = new Map(kept.map((i) => [i.id, i]));
  const fresh: AgentNewsItem[] = [];
  for (const e of cmd.entries) {
    if (removed.has(e.id)) continue;
    const item = { id: e.id, dateTime: e.dateTime, text: e.text, receivedAt: known.get(e.id)?.receivedAt ?? now };
    if (!known.has(e.id)) fresh.push(item);
    byId.set(e.id, item);
  }
  // Newest first. DateTime has whole seconds: within one second the item received later is the newer one, and
  // items received together keep the server's order (newest first, by its creation sequence; the sort is stable).
  const items = [...byId.values()].sort((a, b) => b.dateTime - a.dateTime || b.receivedAt - a.receivedAt);
  fs.mkdirSync(stateDir, { recursive: true });
  const tmp = `${newsFile(stateDir)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ items }, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, newsFile(stateDir));
  return fresh;
}

/** The news as a person reads it: date (UTC) and text, newest first. */
export function formatNews(items: AgentNewsItem[]): string {
  if (items.length === 0) return 'No news from your service provider.\n';
  return items.map((i) => `${new Date(i.dateTime * 1000).toISOString().replace('T', ' ').slice(0, 16)} UTC\n${i.text}\n`).join('\n');
}
