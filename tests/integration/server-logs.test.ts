// admin/meta/read-all-logs (issue 17): every daily server log file as one zip, streamed. Runs its own web
// process on the test services' database and Redis with a data directory of its own, so the log files are
// this test's (the server writes today's file itself; three earlier days are put there by the test). Also the
// console's log viewer (level and text filters, the zip download) and the log retention setting.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomHex, repoRoot } from '../../scripts/lib/services.mjs';
import { CometClient, encodeForm } from '../helpers/comet-client';
import { waitFor } from '../helpers/wait';
import { makeTenant, ROOT, rootClient } from '../helpers/fixtures';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';

const run = promisify(execFile);
const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
const work = path.join(servicesDir, `server-logs-${randomHex(4)}`);
const dataDir = path.join(work, 'data');
const logDir = path.join(dataDir, 'logs');
const DAY1 = '{"level":30,"time":1793577600000,"msg":"first day ✓"}\n';
const DAY3 = [
  { level: 30, msg: 'alpha ready' },
  { level: 40, msg: 'beta slow' },
  { level: 50, msg: 'gamma failed' },
  { level: 50, msg: 'delta failed' },
].map((e, i) => `${JSON.stringify({ level: e.level, time: Date.UTC(2026, 10, 3, 8, i) , msg: e.msg })}\n`).join('');
const DAY2 = `${'{"level":40,"time":1793664000000,"msg":"second day, a longer line to compress"}\n'.repeat(2000)}`;
let halley: HalleyProcess;

async function download(creds: { username: string; password: string } | null, params: Record<string, string> = {}) {
  const res = await fetch(`${halley.url}/api/v1/admin/meta/read-all-logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeForm(creds, params).toString(),
  });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  fs.mkdirSync(logDir, { recursive: true });
  fs.writeFileSync(path.join(logDir, 'halley-20261102.log'), DAY2);
  fs.writeFileSync(path.join(logDir, 'halley-20261101.log'), DAY1);
  fs.writeFileSync(path.join(logDir, 'halley-20261103.log'), DAY3);
  fs.writeFileSync(path.join(logDir, 'notes.txt'), 'not a log file');
  await rootClient(); // the top-level admin exists in the shared database
  halley = await startHalley({ name: 'server-logs', logDir: work, env: { HALLEY_DATA_DIR: dataDir } });
}, 150_000);

afterAll(async () => {
  await halley?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('admin/meta/read-all-logs', () => {
  it('answers every day of log as a zip that unzips to the same files, oldest first', async () => {
    const root = new CometClient(halley.url, ROOT);
    const days: number[] = await root.ok('/api/v1/admin/meta/list-available-log-days');
    expect(days.slice(0, 2)).toEqual([Date.UTC(2026, 10, 1) / 1000, Date.UTC(2026, 10, 2) / 1000]);

    const { res, bytes } = await download(ROOT);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="halley-server-logs-\d{8}\.zip"$/);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    const zipFile = path.join(work, 'logs.zip');
    fs.writeFileSync(zipFile, bytes);

    const listing = (await run('7z', ['l', '-slt', zipFile])).stdout;
    const names = [...listing.matchAll(/^Path = (halley-\d{8}\.log)$/gm)].map((m) => m[1]);
    expect(names.slice(0, 2)).toEqual(['halley-20261101.log', 'halley-20261102.log']);
    expect(names).toEqual([...names].sort());
    expect(listing).not.toContain('notes.txt');
    // The server logs into today's file itself.
    const today = `halley-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}.log`;
    expect(names).toContain(today);

    const out = path.join(work, 'unzipped');
    await run('7z', ['x', '-y', `-o${out}`, zipFile]);
    expect(fs.readFileSync(path.join(out, 'halley-20261101.log'), 'utf8')).toBe(DAY1);
    expect(fs.readFileSync(path.join(out, 'halley-20261102.log'), 'utf8')).toBe(DAY2);
    // Deflated: the repetitive day is much smaller in the archive.
    expect(bytes.length).toBeLessThan(DAY2.length / 4);
  });

  it('is for top-level admins only: a tenant admin and a wrong password get the error status on the HTTP line', async () => {
    const t = await makeTenant('logs-zip');
    const tenantAdmin = new CometClient(halley.url, t.admin.creds);
    const refused = await tenantAdmin.call('/api/v1/admin/meta/read-all-logs');
    expect(refused.http).toBe(403);
    expect(refused.body.Status).toBe(403);
    const wrong = await download({ username: ROOT.username, password: 'not the password' });
    expect(wrong.res.status).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(wrong.bytes.toString('utf8')).Status).toBeGreaterThanOrEqual(400);
    const anonymous = await download(null);
    expect(anonymous.res.status).toBeGreaterThanOrEqual(400);
  });
});

describe('Settings → Logs in a browser', () => {
  it('filters a day by level and text, and downloads every day as a zip that holds the day files', async () => {
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      page.setDefaultTimeout(90_000); // a busy machine: the first render of a page can take a while
      await signIn(page, halley.url, ROOT.username, ROOT.password);
      await page.goto(`${halley.url}/settings/logs`);
      // exact: each entry's full line is also in its (closed) details.
      const table = page.getByRole('table', { name: 'Server logs' });
      // The page first shows today's entries (the server's own log); pick the day once they are there.
      await table.or(page.getByText('No entry matches.')).first().waitFor();
      await page.getByLabel('Day (UTC)').selectOption(String(Date.UTC(2026, 10, 3) / 1000));
      await table.getByText('alpha ready', { exact: true }).waitFor();
      expect(await table.locator('tbody tr').count()).toBe(4);

      await page.getByLabel('Level').selectOption('error');
      await waitFor('only errors listed', async () => (await table.locator('tbody tr').count()) === 2);
      expect(await table.getByText('alpha ready', { exact: true }).count()).toBe(0);
      expect(await table.getByText('gamma failed', { exact: true }).count()).toBe(1);

      await page.getByLabel('Contains').fill('gamma');
      await page.getByRole('button', { name: 'Show' }).click();
      await waitFor('only the gamma error listed', async () => (await table.locator('tbody tr').count()) === 1);
      expect(await table.getByText('delta failed', { exact: true }).count()).toBe(0);
      await page.getByLabel('Contains').fill('no such text');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByText('No entry matches.').waitFor();
      await shot(page, 'server-logs-filtered');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download all (zip)' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^halley-server-logs-\d{8}\.zip$/);
      const zipFile = path.join(work, 'console-logs.zip');
      await download.saveAs(zipFile);
      const listing = (await run('7z', ['l', '-slt', zipFile])).stdout;
      const names = [...listing.matchAll(/^Path = (halley-\d{8}\.log)$/gm)].map((m) => m[1]);
      expect(names.slice(0, 3)).toEqual(['halley-20261101.log', 'halley-20261102.log', 'halley-20261103.log']);
      const out = path.join(work, 'console-unzipped');
      await run('7z', ['x', '-y', `-o${out}`, zipFile]);
      expect(fs.readFileSync(path.join(out, 'halley-20261103.log'), 'utf8')).toBe(DAY3);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 300_000);
});

describe('server log retention (HalleyServerLogs.RetentionDays, Settings → Server)', () => {
  it('deletes the day files beyond the configured retention as soon as it is set, and keeps the rest', async () => {
    const root = new CometClient(halley.url, ROOT);
    const config = await root.ok('/api/v1/admin/meta/server-config/get');
    const todayStart = Math.floor(Date.now() / 86_400_000) * 86_400;
    const name = (daysAgo: number) => `halley-${new Date((todayStart - daysAgo * 86_400) * 1000).toISOString().slice(0, 10).replace(/-/g, '')}.log`;
    for (const daysAgo of [2, 3, 4, 9]) fs.writeFileSync(path.join(logDir, name(daysAgo)), `{"level":30,"time":${(todayStart - daysAgo * 86_400) * 1000},"msg":"${daysAgo} days ago"}\n`);
    try {
      // A refused value deletes nothing.
      expect((await root.fails('/api/v1/admin/meta/server-config/set', { Config: { ...config, HalleyServerLogs: { RetentionDays: 0 } } })).Message).toMatch(/HalleyServerLogs\.RetentionDays/);
      expect(fs.existsSync(path.join(logDir, name(9)))).toBe(true);

      expect(await root.ok('/api/v1/admin/meta/server-config/set', { Config: { ...config, HalleyServerLogs: { RetentionDays: 3 } } })).toEqual({ Status: 200, Message: 'OK' });
      expect((await root.ok('/api/v1/admin/meta/server-config/get')).HalleyServerLogs).toEqual({ RetentionDays: 3 });
      const left = fs.readdirSync(logDir).filter((f) => f.startsWith('halley-')).sort();
      // Today and the three days before it stay; older days (and November's test files) are gone.
      expect(left).toEqual([name(3), name(2), name(0)]);
      expect(fs.existsSync(path.join(logDir, 'notes.txt'))).toBe(true);
      const days: number[] = await root.ok('/api/v1/admin/meta/list-available-log-days');
      expect(days).toEqual([todayStart - 3 * 86_400, todayStart - 2 * 86_400, todayStart]);
    } finally {
      await root.ok('/api/v1/admin/meta/server-config/set', { Config: config });
    }
  });
});
