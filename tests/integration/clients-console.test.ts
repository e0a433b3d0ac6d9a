// Console → Clients in a real browser (issue 15): a tenant admin picks a platform from available-platforms and
// downloads the client package (the link streams generate-client/by-platform with the console session), then
// makes an install token: missing fields and a wrong password are refused in the form, the token is shown once
// with copy buttons, the one-line install command and its expiry, and a device signs in with it.
import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AgentDevice } from '../../agent/device';
import { CLIENT_VERSION } from '../../lib/client-builds/client-version';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { liveConnectionId, tempDir } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

let browser: Browser;
let page: Page;
let t: TenantFixture;
const agents: AgentDevice[] = [];

beforeAll(async () => {
  await rootClient();
  t = await makeTenant('clients-ui');
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, halleyUrl(), t.adminName, t.admin.creds!.password!);
}, 120_000);

afterAll(async () => {
  for (const a of agents) a.stop();
  await browser?.close();
});

it('downloads the client for a chosen platform and makes an install token a device signs in with', async () => {
  const user = await makeUser(t.admin);
  await page.goto(`${halleyUrl()}/`);
  await page.getByRole('link', { name: 'Clients' }).first().click();
  await page.waitForURL(/\/clients$/);
  const platform = page.locator('select[name="Platform"]');
  await expect.poll(() => platform.locator('option').allTextContents()).toEqual([expect.stringMatching(/^Linux: Linux \(any distribution/)]);
  await expect.poll(() => page.locator('input[name="SelfAddress"]').inputValue()).toBe(`${halleyUrl().replace(/\/$/, '')}/`);

  // The download link streams the package with the admin's session.
  const href = (await page.getByTestId('download-client').getAttribute('href'))!;
  expect(href).toMatch(/^\/clients\/download\?platform=9&self=/);
  const res = await page.request.get(`${halleyUrl().replace(/\/$/, '')}${href}`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-disposition']).toContain(`halley-agent-${CLIENT_VERSION}-linuxgeneric.tar.gz`);
  const body = await res.body();
  expect(createHash('sha256').update(body).digest('hex')).toBe(res.headers()['x-halley-client-sha256']);
  // An address the server refuses comes back as the API's message with its status.
  const bad = await page.request.get(`${halleyUrl().replace(/\/$/, '')}/clients/download?platform=9&self=ftp%3A%2F%2Fbox`);
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain('SelfAddress must be an http:// or https:// URL');
  await shot(page, 'clients-1-download');

  // Install token: refused without a username, with a wrong password; then made and shown once.
  const form = page.getByRole('form', { name: 'Install token' });
  await form.getByRole('button', { name: 'Create install token' }).click();
  await expect.poll(() => form.getByRole('alert').textContent()).toBe('Enter the username.');
  await form.getByLabel('Username').fill(user.username);
  await form.getByLabel("The user's password").fill('Not-The-Password-9');
  await form.getByRole('button', { name: 'Create install token' }).click();
  await expect.poll(() => form.getByRole('alert').textContent()).toContain("TargetPassword is not the account's password");
  await shot(page, 'clients-2-token-error');
  await form.getByLabel("The user's password").fill(user.password);
  await form.getByRole('button', { name: 'Create install token' }).click();
  const shown = page.getByTestId('install-token');
  await shown.waitFor();
  const token = await shown.getByLabel('Install token', { exact: true }).inputValue();
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(await shown.getByLabel('Install command', { exact: true }).inputValue()).toBe(
    `tar -xzf halley-agent-${CLIENT_VERSION}-linuxgeneric.tar.gz && sudo sh halley-agent-${CLIENT_VERSION}/install.sh --install-token ${token}`,
  );
  await expect.poll(() => shown.textContent()).toContain(`For ${user.username}; valid until`);
  await shown.getByRole('button', { name: 'Copy the install token' }).waitFor();
  await shot(page, 'clients-3-token');

  // The token signs a device in, unattended.
  const device = new AgentDevice({ url: halleyUrl(), username: '', installToken: token, stateDir: tempDir('clients-ui-agent'), friendlyName: uniq('console-installed'), backoff: { baseMs: 200, maxMs: 2000 } });
  agents.push(device);
  device.start();
  await liveConnectionId(t.admin, device.state.deviceId);
  expect(pageErrors(page)).toEqual([]);
}, 120_000);
