// The reference agent's news store (agent/news-store.ts): the full list after a connect replaces what was
// kept (removals while offline disappear), live items and removals merge by id, items stay newest first,
// an item is "new" only once, and --news prints plain text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { applyNews, formatNews, readNews } from '../../agent/news-store';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'halley-news-store-'));
const item = (id: string, dateTime: number, text = `text ${id}`) => ({ id, dateTime, text });

it('replaces on connect, merges live items and removals, keeps newest first, reports new items once', () => {
  const d = dir();
  expect(readNews(d)).toEqual([]);
  expect(formatNews(readNews(d))).toMatch(/No news/);
  const first = applyNews(d, { replace: true, entries: [item('a', 100), item('b', 200)], removed: [] }, 1000);
  expect(first.map((i) => i.id)).toEqual(['a', 'b']);
  expect(readNews(d).map((i) => i.id)).toEqual(['b', 'a']);
  // The same list again (a reconnect): nothing new, receivedAt kept.
  expect(applyNews(d, { replace: true, entries: [item('a', 100), item('b', 200)], removed: [] }, 2000)).toEqual([]);
  expect(readNews(d).find((i) => i.id === 'a')!.receivedAt).toBe(1000);
  // Live: one new item, one removal.
  expect(applyNews(d, { replace: false, entries: [item('c', 300, '<b>not markup</b>')], removed: [] }, 3000).map((i) => i.id)).toEqual(['c']);
  applyNews(d, { replace: false, entries: [], removed: ['b'] });
  expect(readNews(d).map((i) => i.id)).toEqual(['c', 'a']);
  // After an offline period: the server's list wins ('a' was removed meanwhile, 'd' is new).
  expect(applyNews(d, { replace: true, entries: [item('d', 400), item('c', 300, '<b>not markup</b>')], removed: [] }).map((i) => i.id)).toEqual(['d']);
  expect(readNews(d).map((i) => i.id)).toEqual(['d', 'c']);
  const shown = formatNews(readNews(d));
  expect(shown.indexOf('text d')).toBeLessThan(shown.indexOf('<b>not markup</b>'));
  expect(shown).toContain('1970-01-01 00:06 UTC');
  // An empty list clears everything.
  applyNews(d, { replace: true, entries: [], removed: [] });
  expect(readNews(d)).toEqual([]);
  expect(fs.readdirSync(d)).toEqual(['news.json']); // no temporary file left behind
});

it("lists items of the same second newest first: the one received later, and a list's own order", () => {
  const d = dir();
  applyNews(d, { replace: false, entries: [item('z-older', 500)], removed: [] }, 1000);
  applyNews(d, { replace: false, entries: [item('a-newer', 500)], removed: [] }, 2000);
  expect(readNews(d).map((i) => i.id)).toEqual(['a-newer', 'z-older']);
  // A full list after a connect: items new to the agent in the server's order (newest first), before known ones.
  applyNews(d, { replace: true, entries: [item('m-newest', 500), item('b-new', 500), item('a-newer', 500), item('z-older', 500)], removed: [] }, 3000);
  expect(readNews(d).map((i) => i.id)).toEqual(['m-newest', 'b-new', 'a-newer', 'z-older']);
});

