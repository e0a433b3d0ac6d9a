// Issue 15, a race: the web node caches "which campaign is current" so a reconnect storm costs no query per
// device. It used to cache "no campaign" for up to 2 s, so a device connecting in the first moments of a new
// campaign was not noticed until the campaign's next timer tick. Starting or stopping a campaign now bumps a
// version counter in Redis that every node checks (lib/campaigns/note-device-connected.ts): the very next
// connection after a start is reported, on any node, and after a stop none is.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulatedDevices, type SimulatedDevice } from '../../agent/simulated';
import { UpdateStatus } from '../../lib/comet/constants';
import { closeCampaignNotices, noteDeviceConnected } from '../../lib/campaigns/note-device-connected';
import { closeCampaignQueue } from '../../lib/campaigns/campaign-queue';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

let root: CometClient;
let a: TenantFixture;
let user: { username: string; password: string };
let device: { tenantId: string; accountId: string; deviceId: string; username: string };
const fleet: SimulatedDevice[] = [];

const options = (extra: Record<string, unknown> = {}) => ({ Active: true, UpgradeOlder: true, ReinstallCurrentVer: false, DowngradeNewer: false, ForceUpgradeRunning: false, ApplyDeviceFilter: false, ...extra });

beforeAll(async () => {
  root = await rootClient();
  a = await makeTenant('camp-race');
  user = await makeUser(root, { targetOrganization: a.id, password: 'Correct-Horse-42' });
  const [acct] = await sql<{ id: string }>('SELECT id FROM "Account" WHERE username = $1', [user.username]);
  device = { tenantId: a.id, accountId: acct.id, deviceId: `race-${randomUUID()}`, username: user.username };
  await root.ok('/api/v1/admin/update-campaign/start', { Options: { Active: false } });
});

afterAll(async () => {
  await root?.ok('/api/v1/admin/update-campaign/start', { Options: { Active: false } }).catch(() => undefined);
  for (const d of fleet) d.stop();
  await closeCampaignNotices();
  await closeCampaignQueue();
});

it('reports the first connection after a campaign starts, although "no campaign" was cached a moment before', { timeout: 120_000 }, async () => {
  // A connection with no campaign current: this node now caches "none".
  expect(await noteDeviceConnected(device, '25.9.0', Date.now())).toBe(false);
  // Another node (the web server) starts a campaign for this organization only.
  const started = await root.ok('/api/v1/admin/update-campaign/start', { Options: options({ ApplyDeviceFilter: true, DeviceFilter: { ClauseType: '', RuleField: 'OrganizationID', RuleOperator: 'str_eq', RuleValue: a.id } }) });
  // The next connection on this node, at once (well inside the old 2 s window), is reported to the campaign.
  expect(await noteDeviceConnected(device, '25.9.0', Date.now())).toBe(true);

  // End to end: a device that connects right after the start is updated and confirmed.
  fleet.push(...(await startSimulatedDevices({ url: halleyUrl(), ...user, count: 1, prefix: `race-${randomUUID().slice(0, 8)}`, clientVersion: '25.9.0', backoff: { baseMs: 100, maxMs: 1000 }, updateMs: 100 })));
  await waitFor('the late device confirmed', async () => {
    const st = await root.ok('/api/v1/admin/update-campaign/status');
    return (st.Devices as Array<{ DeviceID: string; Status: number }>).find((d) => d.DeviceID === fleet[0].deviceId)?.Status === UpdateStatus.UPDATESTATUS_UPDATE_CONFIRMED;
  }, 90_000);
  expect(started.CampaignID).toBeTruthy();

  // Stopped elsewhere: the next connection here is not reported any more (no stale "current" either).
  await root.ok('/api/v1/admin/update-campaign/start', { Options: { Active: false } });
  expect(await noteDeviceConnected(device, '25.9.0', Date.now())).toBe(false);
});
