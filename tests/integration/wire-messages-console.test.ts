// Issue 19, in the console: a tenant admin working in German saves a webhook whose host does not resolve yet; the
// flag and the server's own warning read in German, and the delivery log then says why the delivery failed, in
// German (the reason is stored as a catalogue message and rendered in the reader's language). Screenshot:
// wire-messages-webhook-de.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, uniq, type TenantFixture } from '../helpers/fixtures';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

const de = JSON.parse(fs.readFileSync(path.join(repoRoot, 'messages', 'de.json'), 'utf8'));

let browser: Browser;
let t: TenantFixture;

beforeAll(async () => {
  t = await makeTenant('wire-msg-ui');
  await sql(`UPDATE "AdminUser" SET permissions = permissions || '{"AllowEditWebhooks": true}'::jsonb WHERE username = $1`, [t.adminName]);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('webhook messages in the console, in German', () => {
  it('the unresolved-host flag with the server\'s warning, and the delivery log\'s reason', { timeout: 180_000 }, async () => {
    const wi = de.settings.integrations;
    const page = await newPage(browser);
    await signIn(page, halleyUrl(), t.admin.creds!.username, t.admin.creds!.password!);
    await page.context().addCookies([{ name: 'halley-locale', value: 'de', url: halleyUrl() }]);
    await page.goto(`${halleyUrl()}/settings/integrations`);
    const host = `${uniq('later').toLowerCase().replace(/[^a-z0-9-]/g, '-')}.halley-test.invalid`;
    await page.getByRole('button', { name: wi.add }).first().click();
    const dialog = page.getByRole('dialog', { name: wi.addTitle });
    await dialog.locator('[name="id"]').fill('spaeter');
    await dialog.locator('[name="url"]').fill(`https://${host}/in`);
    await dialog.getByRole('button', { name: de.common.save, exact: true }).click();
    await page.getByTestId('webhook-spaeter').waitFor();
    const flag = page.getByTestId('webhook-unresolved');
    expect(await flag.textContent()).toContain(String(wi.unresolvedHost).replace('{id}', 'spaeter').replace('{host}', host));
    // The server's warning, in German, without the API's field name.
    const detail = await page.getByTestId('webhook-unresolved-detail').textContent();
    expect(detail).toMatch(new RegExp(`^Der Host ${host.replace(/\./g, '\\.')} lässt sich noch nicht auflösen \\((ENOTFOUND|EAI_AGAIN|ENODATA)\\); er wird bei jeder Zustellung erneut geprüft$`));
    expect(await page.getByText('WebhookOptions', { exact: false }).count()).toBe(0);

    // The hello delivery fails on DNS; the log says so in German.
    await page.getByTestId('webhook-spaeter').getByRole('button', { name: wi.log }).click();
    const log = page.getByTestId('delivery-log');
    await log.waitFor();
    const reason = log.getByText(/konnte nicht aufgelöst werden/).first();
    await expect
      .poll(
        async () => {
          if ((await reason.count()) > 0) return true;
          await log.getByRole('button', { name: wi.deliveries.refresh }).click();
          return false;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(true);
    expect(await reason.textContent()).toMatch(new RegExp(`^der Hostname ${host.replace(/\./g, '\\.')} konnte nicht aufgelöst werden`));
    await shot(page, 'wire-messages-webhook-de');
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
