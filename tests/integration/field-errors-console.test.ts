// Issue 20 (input and feedback): a value the server refuses is shown next to its input in the console's language
// (German here), in words about the field, never as an API parameter name (SelfBackup.Targets[0]..., WebhookOptions[...]).
// The self-backup target form (an S3 endpoint that is no host name; a time zone chosen with the TimeZonePicker that
// is none) and the webhook dialog (a URL carrying credentials). Screenshots: field-errors-self-backup-de.png,
// field-errors-webhook-de.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { apiMessage, localizeApiMessage } from '../../lib/i18n/api-messages';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import type { CometClient } from '../helpers/comet-client';
import { ROOT, rootClient } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';

const de = JSON.parse(fs.readFileSync(path.join(repoRoot, 'messages', 'de.json'), 'utf8'));

let root: CometClient;
let browser: Browser;
let configBefore: unknown;

beforeAll(async () => {
  root = await rootClient();
  configBefore = await root.ok('/api/v1/admin/meta/server-config/get');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (configBefore) await root.ok('/api/v1/admin/meta/server-config/set', { Config: configBefore }).catch(() => undefined);
});

async function germanPage(username: string, password: string): Promise<Page> {
  const page = await newPage(browser);
  await signIn(page, halleyUrl(), username, password);
  await page.context().addCookies([{ name: 'halley-locale', value: 'de', url: halleyUrl() }]);
  return page;
}

describe('field errors next to their inputs, in German', () => {
  it('self-backup target form: the S3 endpoint and the time zone (TimeZonePicker)', { timeout: 180_000 }, async () => {
    const sb = de.serverOps.selfBackup;
    const page = await germanPage(ROOT.username, ROOT.password);
    await page.goto(`${halleyUrl()}/settings/self-backup`);
    await page.getByRole('button', { name: sb.add }).click();
    const form = page.getByRole('form', { name: sb.add });
    await form.locator('[name="kind"]').selectOption('s3');
    await form.locator('[name="s3Server"]').fill('not a host!');
    await form.locator('[name="s3Bucket"]').fill('halley-backups');
    await form.locator('[name="s3AccessKey"]').fill('AKIAEXAMPLE');
    await form.locator('[name="s3SecretKey"]').fill('secret-key-42');
    await form.locator('[name="password"]').fill('Correct-Horse-42');
    await form.getByRole('button', { name: de.common.save, exact: true }).click();
    // The reason the server gave, in German, next to the S3 endpoint input; no API field name anywhere.
    const endpointError = form.getByRole('alert').filter({ hasText: localizeApiMessage(apiMessage('s3EndpointInvalid', { value: 'not a host!' }), 'de') });
    await endpointError.waitFor();
    expect(await form.locator('[name="s3Server"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('SelfBackup.Targets', { exact: false }).count()).toBe(0);
    await shot(page, 'field-errors-self-backup-de');

    // The next edit clears the message; a time zone typed into the picker that is none is refused next to it.
    await form.locator('[name="kind"]').selectOption('local');
    expect(await endpointError.count()).toBe(0);
    await form.locator('[name="path"]').fill('/tmp/halley-field-errors');
    const zone = form.getByRole('combobox', { name: sb.timeZone });
    await zone.fill('Mars/Olympus_Mons');
    await zone.press('Escape');
    await form.getByRole('button', { name: de.common.save, exact: true }).click();
    await form.getByRole('alert').filter({ hasText: sb.fieldErrors.zone }).waitFor();
    expect(await zone.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('ScheduleTimezone', { exact: false }).count()).toBe(0);

    // Chosen from the list, the zone is saved with the target.
    await zone.fill('');
    await zone.pressSequentially('berl');
    await zone.press('Enter');
    expect(await zone.inputValue()).toBe('Europe/Berlin');
    await form.getByRole('button', { name: de.common.save, exact: true }).click();
    await form.waitFor({ state: 'detached' });
    const targets = (await root.ok('/api/v1/admin/meta/server-config/get')).SelfBackup.Targets as Array<{ Location: { LocalcopyPath?: string }; ScheduleTimezone?: string }>;
    expect(targets.find((x) => x.Location.LocalcopyPath === '/tmp/halley-field-errors')?.ScheduleTimezone).toBe('Europe/Berlin');
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('webhook dialog (server webhooks of the top level): a URL the server refuses', { timeout: 120_000 }, async () => {
    const wi = de.settings.integrations;
    const page = await germanPage(ROOT.username, ROOT.password);
    await page.goto(`${halleyUrl()}/settings/integrations`);
    await page.getByRole('button', { name: wi.add }).first().click();
    const dialog = page.getByRole('dialog', { name: wi.addTitle });
    await dialog.locator('[name="id"]').fill('ops-hook');
    const url = dialog.locator('[name="url"]');
    await url.fill('http://user:pw@hooks.example.com/in');
    await dialog.getByRole('button', { name: de.common.save, exact: true }).click();
    // The reason as a sentence of its own (capitalised), next to the URL.
    await dialog.getByRole('alert').filter({ hasText: 'Die URL darf keinen Benutzernamen und kein Passwort enthalten (Zugangsdaten gehören in CustomHeaders)' }).waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('WebhookOptions', { exact: false }).count()).toBe(0);
    await shot(page, 'field-errors-webhook-de');
    expect(await root.ok('/api/v1/admin/meta/webhook-options/get')).not.toHaveProperty('ops-hook');
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
