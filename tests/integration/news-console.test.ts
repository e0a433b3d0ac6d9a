// The Overview's news panel (issue 18): "Remove" appears exactly where admin/news/remove would remove the item: a
// tenant admin gets it on its own organization's items and never sees (or removes) the top level's; a top-level
// admin gets it on every item it sees, tenants' included. Removing from the panel removes through the API.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, ROOT, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';
import type { CometClient } from '../helpers/comet-client';

let browser: Browser;
let root: CometClient;
let t: TenantFixture;
const topText = uniq('Top-level maintenance note');
const tenantText = uniq('Tenant office note');

const item = (page: Page, text: string): Locator => page.getByTestId('news-panel').getByTestId('news-item').filter({ hasText: text });

beforeAll(async () => {
  root = await rootClient();
  t = await makeTenant('news-ui');
  await root.ok('/api/v1/admin/news/submit', { NewsContent: topText });
  await t.admin.ok('/api/v1/admin/news/submit', { NewsContent: tenantText });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('Overview news panel', () => {
  it("shows a tenant admin 'Remove' on its own items only, and removing works", async () => {
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await signIn(page, halleyUrl(), t.adminName, (t.admin.creds as { password: string }).password);
    await page.goto(`${halleyUrl()}/`);
    await item(page, tenantText).waitFor();
    await expect.poll(() => item(page, topText).count()).toBe(0);
    expect(await item(page, tenantText).getByRole('button', { name: 'Remove news item' }).count()).toBe(1);
    await shot(page, 'news-panel-1-tenant-admin');

    page.once('dialog', (d) => void d.accept());
    await item(page, tenantText).getByRole('button', { name: 'Remove news item' }).click();
    await expect.poll(() => item(page, tenantText).count()).toBe(0);
    expect(JSON.stringify(await t.admin.ok('/api/v1/admin/news/get-all'))).not.toContain(tenantText);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a top-level admin 'Remove' on its own and on tenants' items (the API lets it remove both)", async () => {
    const tenantItem = uniq('Second tenant note');
    await t.admin.ok('/api/v1/admin/news/submit', { NewsContent: tenantItem });
    const page = await newPage(browser);
    const errors = pageErrors(page);
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    await page.goto(`${halleyUrl()}/`);
    await item(page, tenantItem).waitFor();
    await item(page, topText).waitFor();
    for (const text of [topText, tenantItem]) expect(await item(page, text).getByRole('button', { name: 'Remove news item' }).count()).toBe(1);
    await shot(page, 'news-panel-2-top-level');
    // Every item the panel shows has the button: a top-level admin may remove any item it sees.
    const shown = await page.getByTestId('news-panel').getByTestId('news-item').count();
    expect(await page.getByTestId('news-panel').getByRole('button', { name: 'Remove news item' }).count()).toBe(shown);
    expect(errors).toEqual([]);
    await page.close();
    // The tenant admin cannot remove the top level's item through the API either (answered like a missing one).
    const topId = Object.entries(await root.ok('/api/v1/admin/news/get-all')).find(([, e]: [string, any]) => e.TextContent === topText)![0];
    expect((await t.admin.fails('/api/v1/admin/news/remove', { NewsItem: topId })).Status).toBe(404);
    await root.ok('/api/v1/admin/news/remove', { NewsItem: topId });
  });
});
