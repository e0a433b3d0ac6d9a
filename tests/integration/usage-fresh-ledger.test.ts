// The usage ledger on a fresh organization (issue 18): the hourly snapshot ran before the organization, its
// user and its first backup existed, so today's ledger row is missing. A real reference agent's first backup
// lands, and within seconds (the workers' follow-up of finished jobs, lib/usage/refresh-after-jobs.ts, not the
// next hourly run) the users desk and the overview — the APIs the console reads, and the users page in a
// browser — show the vault's measured size. Another organization's figures are not touched.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, type TenantFixture } from '../helpers/fixtures';
import { finishedJob, liveConnectionId, makeSourceTree, setUpBackupProfile, startAgent, waitFor, type LiveAccount } from '../helpers/live';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';
import type { AgentDevice } from '../../agent/device';
import { staleUsageTenants } from '../../lib/usage/refresh-after-jobs';

const DAY = 86_400;
const today = new Date(Math.floor(Date.now() / 1000 / DAY) * DAY * 1000).toISOString().slice(0, 10);

let t: TenantFixture;
let other: TenantFixture;
let account: LiveAccount;
let agent: AgentDevice;
let browser: Browser | undefined;

beforeAll(async () => {
  t = await makeTenant('fresh-ledger');
  other = await makeTenant('fresh-other');
  const user = await makeUser(t.admin, { password: 'Correct-Horse-42' });
  account = await setUpBackupProfile(t.admin, user);
  makeSourceTree(account.sourceDir);
  agent = startAgent(halleyUrl(), account);
}, 120_000);

afterAll(async () => {
  agent?.stop();
  await browser?.close();
});

const storageOf = async (admin: TenantFixture['admin'], username: string) => {
  const page = await admin.ok('/api/v1/admin/list-users-page', { Query: username });
  return page.Users.find((u: { Username: string }) => u.Username === username)?.StorageUsedBytes as number | undefined;
};

it("shows the first backup's size on the users desk and the overview within seconds, not after the hourly run", { timeout: 180_000 }, async () => {
  // Fresh: nothing in the ledger for this organization today (the hourly run ran before it existed).
  expect(await sql('SELECT 1 FROM "UsageTenantDay" WHERE "tenantId" = $1', [t.id])).toEqual([]);
  expect(await storageOf(t.admin, account.username)).toBe(0);

  const conn = await liveConnectionId(t.admin, agent.state.deviceId);
  const run = await t.admin.ok('/api/v1/admin/dispatcher/run-backup', { TargetID: conn, BackupRule: account.rule });
  const job = await finishedJob(t.admin, run.JobID);
  expect(job.Status).toBe(5000);
  const size = job.DestinationSizeEnd.Size as number;
  expect(size).toBeGreaterThan(0);

  // Well within a minute (the follow-up runs every 10 s), never an hour.
  await waitFor('the users desk to show the vault size', async () => (await storageOf(t.admin, account.username)) === size, 60_000);
  const overview = await t.admin.ok('/api/v1/admin/halley/overview');
  expect(overview.Organizations.find((o: { OrganizationID: string }) => o.OrganizationID === t.id).StorageBytes).toBe(size);
  expect(overview.Totals.StorageBytes).toBe(size);
  // The top level sees it in this organization's figures; the other organization has no ledger row to show.
  expect(await sql('SELECT "storageBytes"::text AS b FROM "UsageTenantDay" WHERE "tenantId" = $1 AND "day" = $2::date', [t.id, today])).toEqual([{ b: String(size) }]);
  expect(await sql('SELECT 1 FROM "UsageTenantDay" WHERE "tenantId" = $1', [other.id])).toEqual([]);
  expect((await other.admin.ok('/api/v1/admin/halley/overview')).Totals.StorageBytes).toBe(0);

  // The users page in a browser shows the same size (formatted like the table formats it).
  browser = await launchBrowser();
  const page = await newPage(browser);
  await signIn(page, halleyUrl(), t.adminName, (t.admin.creds as { password: string }).password);
  await page.goto(`${halleyUrl()}/users?q=${encodeURIComponent(account.username)}`);
  const cell = page.locator(`tr[data-user="${account.username}"] [data-column="StorageUsed"]`);
  await expect.poll(() => cell.textContent(), { timeout: 30_000 }).toMatch(/^[\d.,]+ (KiB|MiB)/);
  expect(await cell.textContent()).not.toMatch(/^0 B/);
  await shot(page, 'usage-fresh-ledger-users');
  expect(pageErrors(page)).toEqual([]);

  // Once refreshed, the organization is not stale any more: it is not recomputed again and again.
  // (A job that ended in the very second of the snapshot is looked at once more; then it is settled.)
  await waitFor('the organization settled', async () => !(await staleUsageTenants()).includes(t.id), 30_000);
  const settled = (await sql<{ t: string }>('SELECT "computedAt"::text AS t FROM "UsageTenantDay" WHERE "tenantId" = $1', [t.id]))[0].t;
  expect(await staleUsageTenants()).not.toContain(t.id);
  expect((await sql<{ t: string }>('SELECT "computedAt"::text AS t FROM "UsageTenantDay" WHERE "tenantId" = $1', [t.id]))[0].t).toBe(settled);
});
