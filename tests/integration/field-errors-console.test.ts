// Issue 20 (input and feedback): a value the server refuses is shown next to its input in the console's language
// (German here), in words about the field, never as an API parameter name (SelfBackup.Targets[0]..., WebhookOptions[...]).
// The self-backup target form (an S3 endpoint that is no host name; a time zone chosen with the TimeZonePicker that
// is none), the webhook dialog (a URL carrying credentials), the storage template form (an S3 endpoint the server
// refuses), the email sender form (a From address without a domain), the new-admin dialog (an invalid name, a password
// the policy refuses), the new-user and new-tenant dialogs, the group editor (a member who does not exist), the news
// form (a text of blanks) and the tenant form's From address and help URL (organization/set checks Email and Branding
// as email-options/set and branding-config/set do).
// Every message clears on the next edit. Screenshots: field-errors-self-backup-de.png, field-errors-webhook-de.png,
// field-errors-storage-de.png, field-errors-email-de.png, field-errors-admin-de.png, field-errors-tenant-de.png,
// field-errors-group-de.png, field-errors-news-de.png, field-errors-tenant-email-de.png.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { apiMessage, localizeApiMessage } from '../../lib/i18n/api-messages';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, ROOT, rootClient, type TenantFixture } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const de = JSON.parse(fs.readFileSync(path.join(repoRoot, 'messages', 'de.json'), 'utf8'));

let root: CometClient;
let browser: Browser;
let configBefore: unknown;
let tenant: TenantFixture;

/** A fieldMessages text in German as the console shows it next to an input (ICU quotes resolved, capitalised). */
function fieldMessage(key: string, values: Record<string, string>): string {
  const text = String(de.fieldMessages[key]).replace(/\{(\w+)\}/g, (_m: string, name: string) => values[name]).replace(/''/g, "'");
  return text.charAt(0).toLocaleUpperCase('de') + text.slice(1);
}

beforeAll(async () => {
  root = await rootClient();
  configBefore = await root.ok('/api/v1/admin/meta/server-config/get');
  tenant = await makeTenant('field-errors');
  await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: tenant.adminName, Permissions: { AllowEditRemoteStorage: true } });
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

  it('storage template form: an S3 endpoint the server refuses, next to its input (tenant admin)', { timeout: 120_000 }, async () => {
    const page = await germanPage(tenant.adminName, tenant.admin.creds!.password!);
    await page.goto(`${halleyUrl()}/settings/storage`);
    await page.getByTestId('storage-add-type').selectOption('s3');
    await page.getByTestId('storage-add').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('[name="Description"]').fill('Feldfehler');
    const endpoint = dialog.locator('[name="S3Endpoint"]');
    await endpoint.fill('bad_host!');
    await dialog.locator('[name="AccessKey"]').fill('AKIAEXAMPLE');
    await dialog.locator('[name="SecretKey"]').fill('secret-key-42');
    await dialog.getByRole('button', { name: de.common.save, exact: true }).click();
    // The server's reason in German under the endpoint, without RemoteStorageOptions[...] anywhere.
    const message = dialog.getByTestId('storage-error-S3Endpoint');
    await message.waitFor();
    expect(await message.textContent()).toBe(fieldMessage('fieldNotHost', { value: 'bad_host!' }));
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await endpoint.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('RemoteStorageOptions', { exact: false }).count()).toBe(0);
    expect(await dialog.getByRole('alert').count()).toBe(1);
    await shot(page, 'field-errors-storage-de');
    // The next edit clears it.
    await endpoint.fill('https://s3.example.com');
    expect(await message.count()).toBe(0);
    expect(await endpoint.getAttribute('aria-invalid')).toBeNull();
    expect((await tenant.admin.ok('/api/v1/admin/meta/remote-storage-vault/get')) ?? []).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('email sender form: a From address the server refuses, next to its input; cleared by the next edit', { timeout: 120_000 }, async () => {
    const em = de.settings.email.sender;
    const before = await root.ok('/api/v1/admin/meta/email-options/get');
    const page = await germanPage(ROOT.username, ROOT.password);
    await page.goto(`${halleyUrl()}/settings/email`);
    const from = page.locator('[name="FromEmail"]');
    // A valid address for the browser (type=email), not for the server's rule (no dotted domain).
    await from.fill('ops@localhost');
    await page.getByRole('button', { name: em.save, exact: true }).click();
    const message = page.getByRole('alert').filter({ hasText: fieldMessage('fieldNotEmail', { value: 'ops@localhost' }) });
    await message.waitFor();
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('EmailOptions', { exact: false }).count()).toBe(0);
    await shot(page, 'field-errors-email-de');
    await from.fill('ops@example.com');
    expect(await message.count()).toBe(0);
    expect(await from.getAttribute('aria-invalid')).toBeNull();
    expect(await root.ok('/api/v1/admin/meta/email-options/get')).toEqual(before);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('new-admin dialog: an invalid name and a password the policy refuses, each next to its input', { timeout: 120_000 }, async () => {
    const na = de.admins.new;
    const page = await germanPage(ROOT.username, ROOT.password);
    await page.goto(`${halleyUrl()}/admins?new=1`);
    const dialog = page.getByRole('dialog', { name: na.title });
    const username = dialog.locator('[name="username"]');
    const password = dialog.locator('[name="password"]');
    await username.fill('bad name!');
    await password.fill('Correct-Horse-42');
    await dialog.getByRole('button', { name: na.submit, exact: true }).click();
    const nameError = dialog.getByRole('alert').filter({ hasText: fieldMessage('usernameInvalid', { username: 'bad name!' }) });
    await nameError.waitFor();
    expect(await username.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('TargetUser', { exact: false }).count()).toBe(0);
    await shot(page, 'field-errors-admin-de');

    // The next edit clears it; a short password is refused next to the password, in German.
    await username.fill('field-errors-admin');
    expect(await nameError.count()).toBe(0);
    await password.fill('kurz');
    await dialog.getByRole('button', { name: na.submit, exact: true }).click();
    const passwordError = dialog.getByRole('alert').filter({ hasText: localizeApiMessage(apiMessage('passwordTooShort', { min: 8 }), 'de') });
    await passwordError.waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('alert').count()).toBe(1);

    // An existing name: next to the name.
    await password.fill('Correct-Horse-42');
    await username.fill(ROOT.username);
    await dialog.getByRole('button', { name: na.submit, exact: true }).click();
    await dialog.getByRole('alert').filter({ hasText: fieldMessage('adminExists', {}) }).waitFor();
    expect(await username.getAttribute('aria-invalid')).toBe('true');
    const admins = (await root.ok('/api/v1/admin/admin-user/list')) as Array<{ Username: string }>;
    expect(admins.map((a) => a.Username)).not.toContain('field-errors-admin');
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('new-user and new-tenant dialogs: a refused name or host next to its input', { timeout: 120_000 }, async () => {
    const page = await germanPage(ROOT.username, ROOT.password);
    // Leaving a dialog with typed-in values asks first: accepted here.
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${halleyUrl()}/users?new=1`);
    const users = page.getByRole('dialog', { name: de.users.add.title });
    await users.locator('[name="username"]').fill('kein gültiger Name');
    await users.locator('[name="password"]').fill('Correct-Horse-42');
    await users.getByRole('button', { name: de.users.add.submit, exact: true }).click();
    await users.getByRole('alert').filter({ hasText: fieldMessage('usernameInvalid', { username: 'kein gültiger Name' }) }).waitFor();
    expect(await users.locator('[name="username"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('TargetUser', { exact: false }).count()).toBe(0);
    await page.goto(`${halleyUrl()}/tenants`);
    await page.getByRole('button', { name: de.tenants.new.button }).click();
    const tenants = page.getByRole('dialog', { name: de.tenants.new.title });
    await tenants.locator('[name="name"]').fill('Feldfehler GmbH');
    await tenants.locator('[name="hosts"]').fill('backup.feldfehler.example bad_host!');
    await tenants.getByRole('button', { name: de.tenants.new.submit, exact: true }).click();
    await tenants.getByRole('alert').filter({ hasText: fieldMessage('fieldNotHost', { value: 'bad_host!' }) }).waitFor();
    expect(await tenants.locator('[name="hosts"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Organization.Hosts', { exact: false }).count()).toBe(0);
    await shot(page, 'field-errors-tenant-de');
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('length limits: typing or pasting past a field\'s limit is announced next to it; the next edit that fits clears it', { timeout: 120_000 }, async () => {
    const page = await germanPage(ROOT.username, ROOT.password);
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${halleyUrl()}/settings/integrations`);
    await page.getByRole('button', { name: de.settings.integrations.add }).first().click();
    const dialog = page.getByRole('dialog', { name: de.settings.integrations.addTitle });
    const id = dialog.locator('[name="id"]');
    const notice = page.getByTestId('length-cut-notice');
    const text = de.lengthLimit.cut.replace('{max}', '100');
    // At the limit (100), one more typed character is refused by the browser: said so, not silently.
    await id.fill('x'.repeat(100));
    await id.press('y');
    await notice.getByText(text).waitFor();
    expect(await id.inputValue()).toBe('x'.repeat(100));
    expect((await id.getAttribute('aria-describedby')) ?? '').toContain('length-cut-notice');
    await shot(page, 'field-errors-length-de');
    // An edit that fits clears it.
    await id.press('Backspace');
    await waitFor('the notice cleared', async () => (await notice.getByText(text).count()) === 0);
    expect((await id.getAttribute('aria-describedby')) ?? '').not.toContain('length-cut-notice');
    // A paste longer than the room left is announced too.
    await id.evaluate((el: HTMLInputElement) => {
      const data = new DataTransfer();
      data.setData('text/plain', 'z'.repeat(50));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await notice.getByText(text).waitFor();
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('a server refusal clears on the next edit of its form (tenant edit form: a host another tenant holds)', { timeout: 120_000 }, async () => {
    const page = await germanPage(ROOT.username, ROOT.password);
    page.on('dialog', (d) => void d.accept());
    const other = await makeTenant('field-errors-hosts');
    await root.ok('/api/v1/admin/organization/set', { OrganizationID: other.id, Organization: { Name: other.name, Hosts: ['held.feldfehler.example'] } });
    await page.goto(`${halleyUrl()}/tenants/${tenant.id}`);
    const hosts = page.locator('[name="Hosts"]');
    await hosts.fill('held.feldfehler.example');
    await page.getByRole('button', { name: de.common.save, exact: true }).click();
    const message = page.locator('#field-error-Hosts');
    await message.waitFor();
    expect(await hosts.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Organization.Hosts', { exact: false }).count()).toBe(0);
    await hosts.fill('frei.feldfehler.example');
    expect(await message.count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('group editor: a member who does not exist, next to the members; cleared by the next edit', { timeout: 120_000 }, async () => {
    const group = await root.ok('/api/v1/admin/user-groups/new', { Name: 'Feldfehler-Gruppe' });
    const page = await germanPage(ROOT.username, ROOT.password);
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${halleyUrl()}/groups/${group.UserGroupID}`);
    const members = page.locator('[name="users"]');
    await members.fill('niemand-feldfehler');
    await page.getByRole('button', { name: de.common.save, exact: true }).click();
    const message = page.locator('#field-error-users');
    await message.waitFor({ timeout: 60_000 });
    expect(await message.textContent()).toBe(localizeApiMessage(apiMessage('userNotFound', { username: 'niemand-feldfehler' }), 'de'));
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await members.getAttribute('aria-invalid')).toBe('true');
    expect(await members.getAttribute('aria-describedby')).toBe('field-error-users');
    expect(await page.getByText('TargetUser', { exact: false }).count()).toBe(0);
    await shot(page, 'field-errors-group-de');
    // Refused as a whole: the name typed with it was not saved either.
    await page.locator('[name="name"]').fill('Feldfehler-Gruppe umbenannt');
    await members.fill('niemand-feldfehler');
    await page.getByRole('button', { name: de.common.save, exact: true }).click();
    await message.waitFor({ timeout: 60_000 });
    expect((await root.ok('/api/v1/admin/user-groups/get', { GroupID: group.UserGroupID })).UserGroup.Name).toBe('Feldfehler-Gruppe');
    await members.fill('');
    expect(await message.count()).toBe(0);
    expect(await members.getAttribute('aria-invalid')).toBeNull();
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('news form: a text of blanks is refused next to the text, in German; cleared by the next edit', { timeout: 120_000 }, async () => {
    const page = await germanPage(ROOT.username, ROOT.password);
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${halleyUrl()}/`);
    const panel = page.getByTestId('news-panel');
    await panel.getByRole('button', { name: de.news.add }).click();
    const text = panel.locator('[name="news"]');
    await text.fill('   ');
    await panel.getByRole('button', { name: de.news.publish, exact: true }).click();
    const message = panel.locator('#field-error-news');
    await message.waitFor({ timeout: 60_000 });
    expect(await message.textContent()).toBe(localizeApiMessage(apiMessage('newsEmpty'), 'de'));
    expect(await text.getAttribute('aria-invalid')).toBe('true');
    expect(await text.getAttribute('aria-describedby')).toBe('field-error-news');
    await shot(page, 'field-errors-news-de');
    await text.fill('Wartung am Samstag');
    expect(await message.count()).toBe(0);
    expect(await text.getAttribute('aria-invalid')).toBeNull();
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('tenant form: a From address and a help URL organization/set refuses, next to their inputs without Organization.*', { timeout: 120_000 }, async () => {
    const page = await germanPage(ROOT.username, ROOT.password);
    page.on('dialog', (d) => void d.accept());
    const before = (await root.ok('/api/v1/admin/organization/list'))[tenant.id];
    await page.goto(`${halleyUrl()}/tenants/${tenant.id}`);
    const from = page.locator('[name="FromEmail"]');
    // A valid address for the browser (type=email), not for the server's rule (no dotted domain).
    await from.fill('ops@localhost');
    await page.getByRole('button', { name: de.common.save, exact: true }).click();
    const message = page.locator('#field-error-FromEmail');
    await message.waitFor({ timeout: 60_000 });
    expect(await message.textContent()).toBe(fieldMessage('fieldNotEmail', { value: 'ops@localhost' }));
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Organization.Email', { exact: false }).count()).toBe(0);
    await shot(page, 'field-errors-tenant-email-de');
    await from.fill('ops@feldfehler.example');
    expect(await message.count()).toBe(0);
    expect(await from.getAttribute('aria-invalid')).toBeNull();
    // A help URL that is no http(s) address (valid for the browser's type=url): next to it, as branding-config/set says it.
    const help = page.locator('[name="HelpURL"]');
    await help.fill('ftp://hilfe.feldfehler.example/');
    await page.getByRole('button', { name: de.common.save, exact: true }).click();
    const helpMessage = page.locator('#field-error-HelpURL');
    await helpMessage.waitFor({ timeout: 60_000 });
    expect(await helpMessage.textContent()).toBe(fieldMessage('brandingBadUrl', {}));
    expect(await help.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Organization.Branding', { exact: false }).count()).toBe(0);
    expect((await root.ok('/api/v1/admin/organization/list'))[tenant.id]).toEqual(before);
    // Saved with good values: the colours nobody picked stay unset (the swatch's default is not written).
    await help.fill('https://hilfe.feldfehler.example/');
    await page.getByRole('button', { name: de.common.save, exact: true }).click();
    await expect.poll(async () => (await root.ok('/api/v1/admin/organization/list'))[tenant.id].Branding?.HelpURL, { timeout: 60_000 }).toBe('https://hilfe.feldfehler.example/');
    const branding = (await root.ok('/api/v1/admin/organization/list'))[tenant.id].Branding;
    expect(branding.TopColor ?? '').toBe(before.Branding?.TopColor ?? '');
    expect(branding.AccentColor ?? '').toBe(before.Branding?.AccentColor ?? '');
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});

// One German page and one sign-in for all of these (CI time): each case one refusal the browser lets through, its
// message next to the input (the input's aria-describedby names it), in German, gone after the next edit.
describe('field errors next to their inputs, in German: branding, policies, quotas, PSA, Constellation, reports, TOTP', () => {
  let page: Page;

  beforeAll(async () => {
    page = await germanPage(ROOT.username, ROOT.password);
    // Leaving a dialog or page with typed-in values asks first: accepted here.
    page.on('dialog', (d) => void d.accept());
  }, 120_000);

  afterAll(async () => {
    expect(pageErrors(page)).toEqual([]);
    await page?.close();
  });

  /** The refusal `text` shown as `input`'s error (element `errorId`), then cleared by `edit`. */
  async function refusedThenCleared(input: Locator, errorId: string, text: string, screenshot: string, edit: () => Promise<void>) {
    const message = page.locator(`#${errorId}`);
    await message.waitFor({ timeout: 60_000 });
    expect(await message.textContent()).toBe(text);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toContain(errorId);
    await shot(page, screenshot);
    await edit();
    expect(await message.count()).toBe(0);
    expect(await input.getAttribute('aria-invalid')).toBeNull();
  }

  it('branding: a colour that is none (the form checks it as branding-config/set does)', { timeout: 120_000 }, async () => {
    await page.goto(`${halleyUrl()}/settings/branding`);
    const top = page.locator('[name="TopColor"]');
    await top.fill('#12g');
    await page.getByRole('button', { name: de.common.save, exact: true }).click();
    await refusedThenCleared(top, 'field-error-TopColor', de.branding.colourHint, 'field-errors-branding-de', () => top.fill('#123456'));
    expect(await page.getByText('BrandingConfig', { exact: false }).count()).toBe(0);
  });

  it('policy editor: a mandatory exclusion that is no regular expression (policies/set checks it)', { timeout: 120_000 }, async () => {
    const ed = de.policies.editor;
    const { PolicyID } = await root.ok('/api/v1/admin/policies/new', { Policy: { Description: 'Feldfehler-Richtlinie', Policy: {} } });
    await page.goto(`${halleyUrl()}/policies/${PolicyID}`);
    await page.getByRole('button', { name: ed.addExclusion }).click();
    const pattern = page.getByRole('textbox', { name: ed.exclusionPattern });
    await pattern.fill('([a-z');
    await page.getByLabel(ed.regex).check();
    await page.getByRole('button', { name: de.common.save, exact: true }).click();
    await refusedThenCleared(pattern, 'field-error-exclusion-0', fieldMessage('fieldNotRegex', { value: '([a-z' }), 'field-errors-policy-de', () => pattern.fill('([a-z]+)\\.tmp$'));
    expect(await page.getByText('FileAndFolderMandatoryExclusions', { exact: false }).count()).toBe(0);
    expect((await root.ok('/api/v1/admin/policies/get', { PolicyID })).Policy.Policy.FileAndFolderMandatoryExclusions ?? []).toEqual([]);
  });

  it('shared quota dialog: a limit that rounds to no byte at all', { timeout: 120_000 }, async () => {
    await page.goto(`${halleyUrl()}/settings/quotas`);
    await page.getByRole('button', { name: de.sharedQuotas.new }).click();
    const dialog = page.getByTestId('quota-dialog');
    await dialog.locator('[name="id"]').fill('feldfehler-kontingent');
    const limit = dialog.locator('[name="limit"]');
    await limit.fill('0.0000000001');
    await dialog.getByRole('button', { name: de.sharedQuotas.create, exact: true }).click();
    await refusedThenCleared(limit, 'field-error-limit', fieldMessage('sharedQuotaLimitInvalid', {}), 'field-errors-quota-de', () => limit.fill('5'));
  });

  it('PSA dialog: a custom header name the server refuses', { timeout: 120_000 }, async () => {
    await page.goto(`${halleyUrl()}/settings/integrations`);
    await page.getByRole('button', { name: de.psa.add }).click();
    const dialog = page.getByTestId('psa-dialog');
    await dialog.locator('[name="url"]').fill('https://psa.feldfehler.example/usage');
    await dialog.getByRole('button', { name: de.psa.addHeader }).click();
    const name = dialog.getByRole('textbox', { name: de.psa.headerName, exact: true });
    await name.fill('Kein Header');
    await dialog.getByRole('textbox', { name: de.psa.headerValue, exact: true }).fill('x');
    await dialog.getByRole('button', { name: de.common.save, exact: true }).click();
    await refusedThenCleared(dialog.locator('fieldset[name="headers"]'), 'field-error-headers', fieldMessage('headerNameInvalid', { name: 'Kein Header' }), 'field-errors-psa-de', () => name.fill('X-Feldfehler'));
    expect(await page.getByText('CustomHeaders', { exact: false }).count()).toBe(0);
  });

  it('Constellation servers: a name longer than the server takes', { timeout: 120_000 }, async () => {
    const ct = de.constellation.targets;
    await page.goto(`${halleyUrl()}/settings/constellation`);
    const name = page.locator('[name="server-Description"]');
    await name.fill('N'.repeat(201));
    await page.locator('[name="server-RemoteAddress"]').fill('https://andere.feldfehler.example/');
    await page.locator('[name="server-Username"]').fill('admin');
    await page.locator('[name="server-Password"]').fill('Correct-Horse-42');
    await page.getByRole('button', { name: ct.add, exact: true }).click();
    await refusedThenCleared(name, 'server-Description-problem', fieldMessage('constellationServerFieldsTooLong', { limit: '200' }), 'field-errors-constellation-de', () => name.fill('Anderer Server'));
  });

  it('report editor: a recipient who is no email address', { timeout: 120_000 }, async () => {
    const rp = de.settings.email.reports;
    await page.goto(`${halleyUrl()}/settings/email`);
    await page.getByRole('button', { name: rp.add }).click();
    const dialog = page.getByRole('dialog', { name: rp.addTitle });
    const recipients = dialog.locator('[name="recipients"]');
    await recipients.fill('ops@localhost');
    await dialog.getByRole('button', { name: de.common.save, exact: true }).click();
    await refusedThenCleared(recipients, 'field-error-recipients', fieldMessage('recipientsNotEmail', { value: 'ops@localhost' }), 'field-errors-report-de', () => recipients.fill('ops@feldfehler.example'));
    expect(await page.getByText('EmailReportingOptions', { exact: false }).count()).toBe(0);
  });

  it('TOTP set-up: a code that is not 6 digits', { timeout: 120_000 }, async () => {
    const tt = de.account.totp;
    await page.goto(`${halleyUrl()}/account`);
    await page.getByRole('button', { name: tt.enable }).click();
    const code = page.locator('[name="code"]');
    await code.fill('12');
    await page.getByRole('button', { name: tt.confirm }).click();
    await refusedThenCleared(code, 'field-error-code', fieldMessage('totpCodeFormat', {}), 'field-errors-totp-de', () => code.fill('123456'));
    expect(await page.getByText('TOTPCode', { exact: false }).count()).toBe(0);
  });

  it('tenant form: a stored email setting the form does not show (SMTP without a host), said in words with where to change it', { timeout: 120_000 }, async () => {
    const ed = de.tenants.edit;
    const stored = await makeTenant('field-errors-stored-email');
    // As an imported Comet organization may carry it: SMTP delivery without a host (organization/set refuses it).
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      await db.query(`UPDATE "Tenant" SET data = jsonb_set(data::jsonb, '{Email}', '{"Mode":"smtp","SMTPHost":""}'::jsonb) WHERE id = $1`, [stored.id]);
    } finally {
      await db.end();
    }
    await page.goto(`${halleyUrl()}/tenants/${stored.id}`);
    await page.getByRole('button', { name: de.common.save, exact: true }).click();
    const text = ed.emailStoredRefused.replace('{setting}', de.settings.email.sender.host).replace('{reason}', fieldMessage('smtpHostRequired', {}));
    const alert = page.getByRole('alert').filter({ hasText: text });
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.getByRole('link', { name: ed.emailStoredLink }).getAttribute('href')).toBe(`/settings/email?org=${encodeURIComponent(stored.id)}`);
    expect(await page.getByText('Organization.Email', { exact: false }).count()).toBe(0);
    expect(await page.getByText('EmailOptions', { exact: false }).count()).toBe(0);
    await shot(page, 'field-errors-tenant-stored-email-de');
    // The next edit clears it.
    await page.locator('[name="FromName"]').fill('Feldfehler');
    expect(await alert.count()).toBe(0);
  });
});
