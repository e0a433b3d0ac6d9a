// Issue 20 (readable event types): Halley's own event types (update campaigns 14501–14506, Constellation 14601) are
// pickable by their labels in the webhook editor's event list, in German, and a webhook filtered on one of them
// receives exactly that type: through the API (WhiteListedEventTypes [14501], a campaign started and stopped, a user
// added) and through the console (the label ticked in Settings → Integrations and saved). A tenant admin is offered
// the Halley types a tenant receives, not the top level's campaign events. Screenshot: webhook-halley-events-de.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { CampaignEventType, HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET, HALLEY_EVENT_NAMES } from '../../lib/events/halley-event-types';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, ROOT, rootClient, type TenantFixture } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';
import { WebhookReceiver } from '../helpers/webhook-receiver';

const de = JSON.parse(fs.readFileSync(path.join(repoRoot, 'messages', 'de.json'), 'utf8'));
const label = (code: number) => de.eventTypes[HALLEY_EVENT_NAMES[code]] as string;

let root: CometClient;
let tenant: TenantFixture;
let browser: Browser;
let restorePrivate: () => Promise<void>;
let webhooksBefore: Record<string, unknown> = {};
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  root = await rootClient();
  tenant = await makeTenant('halley-events');
  await sql(`UPDATE "AdminUser" SET permissions = permissions || '{"AllowEditWebhooks": true}'::jsonb WHERE username = $1`, [tenant.adminName]);
  webhooksBefore = (await root.ok('/api/v1/admin/meta/webhook-options/get')) ?? {};
  restorePrivate = await allowPrivateTargets(true);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await root?.ok('/api/v1/admin/update-campaign/start', { Options: { Active: false } }).catch(() => undefined);
  await root?.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: webhooksBefore }).catch(() => undefined);
  await restorePrivate?.();
  for (const r of receivers) await r.stop();
});

async function receiver(): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver().start();
  receivers.push(r);
  return r;
}

/** A campaign that matches no device: started (14501), then stopped (14504). */
async function startAndStopCampaign(): Promise<void> {
  const rule = { ClauseType: '', RuleField: 'Username', RuleOperator: 'str_eq', RuleValue: 'nobody-halley-events' };
  await root.ok('/api/v1/admin/update-campaign/start', {
    Options: { Active: true, UpgradeOlder: true, ReinstallCurrentVer: false, DowngradeNewer: false, ForceUpgradeRunning: false, ApplyDeviceFilter: true, DeviceFilter: rule },
  });
  await root.ok('/api/v1/admin/update-campaign/start', { Options: { Active: false } });
}

const types = (r: WebhookReceiver) => r.received.map((x) => x.json?.Type as number).filter((t) => t !== 4000);

describe("Halley's own event types in webhook filters", () => {
  it('API: a webhook filtered on CAMPAIGN_STARTED receives that type only', { timeout: 120_000 }, async () => {
    const rx = await receiver();
    await root.ok('/api/v1/admin/meta/webhook-options/set', {
      WebhookOptions: { ...webhooksBefore, 'campaign-started': { URL: rx.url, Level: 'full', CustomHeaders: {}, WhiteListedEventTypes: [CampaignEventType.STARTED] } },
    });
    await makeUser(root);
    await startAndStopCampaign();
    await waitFor('the CAMPAIGN_STARTED delivery', () => types(rx).includes(CampaignEventType.STARTED), 30_000);
    // The STARTED delivery is in the log as delivered; the user added and the campaign finished were not sent.
    await waitFor(
      'the delivery log',
      async () => {
        const log = (await root.ok('/api/v1/admin/meta/webhook-deliveries/list', { WebhookID: 'campaign-started', Limit: 100 })).Deliveries as Array<{ Type: number; Status: string }>;
        return log.some((d) => d.Type === CampaignEventType.STARTED && d.Status === 'delivered');
      },
      30_000,
    );
    const finished = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "Event" WHERE type = $1`, [CampaignEventType.FINISHED]);
    expect(Number(finished[0].n)).toBeGreaterThan(0);
    expect(new Set(types(rx))).toEqual(new Set([CampaignEventType.STARTED]));
    expect(rx.received.find((x) => x.json?.Type === CampaignEventType.STARTED)?.json).toMatchObject({ Type: CampaignEventType.STARTED, TypeString: '' });
  });

  it('console (German): the campaign events are listed by label; ticking one saves its number', { timeout: 180_000 }, async () => {
    const wi = de.settings.integrations;
    const rx = await receiver();
    const page: Page = await newPage(browser);
    await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
    await page.context().addCookies([{ name: 'halley-locale', value: 'de', url: halleyUrl() }]);
    await page.goto(`${halleyUrl()}/settings/integrations`);
    await page.getByRole('button', { name: wi.add }).first().click();
    const dialog = page.getByRole('dialog', { name: wi.addTitle });
    const list = dialog.getByTestId('event-types');
    // Every Halley type has its German label in the list (no HALLEY_EVENT_ constant shown as text).
    for (const code of Object.keys(HALLEY_EVENT_NAMES).map(Number)) await list.getByText(label(code), { exact: true }).waitFor();
    expect(await list.getByText('HALLEY_EVENT_', { exact: false }).count()).toBe(0);
    // The filter finds a label; the constant name finds it too.
    await dialog.getByRole('textbox', { name: wi.filterEvents }).fill('HALLEY_EVENT_CAMPAIGN_PAUSED');
    expect(await list.locator('label').count()).toBe(1);
    await dialog.getByRole('textbox', { name: wi.filterEvents }).fill('');
    await dialog.locator('[name="id"]').fill('campaigns-ui');
    await dialog.locator('[name="url"]').fill(rx.url);
    await list.getByRole('checkbox', { name: label(CampaignEventType.STARTED), exact: true }).check();
    await list.getByRole('checkbox', { name: label(CampaignEventType.COMPLETED), exact: true }).check();
    await shot(page, 'webhook-halley-events-de');
    await dialog.getByRole('button', { name: de.common.save, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const saved = (await root.ok('/api/v1/admin/meta/webhook-options/get'))['campaigns-ui'];
    expect([...saved.WhiteListedEventTypes].sort()).toEqual([CampaignEventType.STARTED, CampaignEventType.COMPLETED].sort());
    // The row names the chosen types by label.
    await page.getByTestId('webhook-campaigns-ui').getByText(label(CampaignEventType.STARTED), { exact: false }).waitFor();

    await startAndStopCampaign();
    await waitFor('the console webhook\'s CAMPAIGN_STARTED delivery', () => types(rx).includes(CampaignEventType.STARTED), 30_000);
    expect(types(rx).every((t) => t === CampaignEventType.STARTED || t === CampaignEventType.COMPLETED)).toBe(true);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('tenant admin: offered the Halley types a tenant receives, not the campaign events of the top level', { timeout: 120_000 }, async () => {
    const page = await newPage(browser);
    await signIn(page, halleyUrl(), tenant.adminName, tenant.admin.creds!.password!);
    await page.context().addCookies([{ name: 'halley-locale', value: 'de', url: halleyUrl() }]);
    await page.goto(`${halleyUrl()}/settings/integrations`);
    await page.getByRole('button', { name: de.settings.integrations.add }).first().click();
    const list = page.getByRole('dialog').getByTestId('event-types');
    await list.getByText(label(CampaignEventType.UPDATE_FAILED), { exact: true }).waitFor();
    await list.getByText(label(HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET), { exact: true }).waitFor();
    expect(await list.getByText(label(CampaignEventType.STARTED), { exact: true }).count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
