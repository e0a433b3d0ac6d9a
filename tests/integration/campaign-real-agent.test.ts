// An update campaign driving a REAL installed agent end to end (issue 15 §2): the package this server
// generates, relabelled as an older version, installed with its install.sh and run under its launcher; a
// campaign filtered to that device's account upgrades it (the agent downloads, verifies, swaps and restarts
// into the server's build), the agent reconnects advertising the new version, the campaign marks it
// UPDATE_CONFIRMED and reports itself completed (uptake 100 %), and the installed prefix runs the new build.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_VERSION } from '../../lib/client-builds/client-version';
import { UpdateStatus } from '../../lib/comet/constants';
import { installOlderAgent, type InstalledAgent } from '../helpers/agent-package';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { sql } from '../helpers/security';
import { waitFor } from '../helpers/wait';

const OLD_VERSION = '25.9.3';
let root: CometClient;
let t: TenantFixture;
let user: { username: string; password: string };
let agent: InstalledAgent | undefined;

async function liveDevice(): Promise<{ id: string; version: string; deviceId: string } | undefined> {
  const map = (await t.admin.ok('/api/v1/admin/dispatcher/list-active')) as Record<string, { Username: string; ReportedVersion: string; DeviceID: string }>;
  const found = Object.entries(map).find(([, c]) => c.Username === user.username);
  return found ? { id: found[0], version: found[1].ReportedVersion, deviceId: found[1].DeviceID } : undefined;
}

beforeAll(async () => {
  root = await rootClient();
  t = await makeTenant('campaign-agent');
  user = await makeUser(t.admin);
  agent = await installOlderAgent(t, user, OLD_VERSION, { name: 'campaign box', env: { HALLEY_AGENT_UPDATE_CONFIRM_SECONDS: '60' } });
}, 120_000);

afterAll(async () => {
  await root?.ok('/api/v1/admin/update-campaign/start', { Options: { Active: false } }).catch(() => undefined);
  await agent?.stop();
});

describe('a campaign upgrades a real installed agent', () => {
  it('sends the update, the agent installs the server build and reconnects with it, the campaign completes', async () => {
    const before = await waitFor('the installed agent to connect', liveDevice, 60_000);
    expect(before.version, agent!.output()).toBe(OLD_VERSION);

    const started = await root.ok('/api/v1/admin/update-campaign/start', {
      Options: {
        Active: true,
        UpgradeOlder: true,
        ReinstallCurrentVer: false,
        DowngradeNewer: false,
        ForceUpgradeRunning: false,
        ApplyDeviceFilter: true,
        DeviceFilter: { ClauseType: '', RuleField: 'Username', RuleOperator: 'str_eq', RuleValue: user.username },
      },
    });
    expect(started).toMatchObject({ Status: 200, Message: expect.stringContaining(CLIENT_VERSION) });

    const after = await waitFor('the agent to come back updated', async () => {
      const live = await liveDevice();
      return live && live.id !== before.id && live.version === CLIENT_VERSION ? live : undefined;
    }, 90_000);
    expect(after.deviceId).toBe(before.deviceId);
    expect(fs.readlinkSync(path.join(agent!.prefix, 'current'))).toBe(`versions/${CLIENT_VERSION}`);

    // Comet's status: the device CONFIRMED; Halley's summary: done, 100 % uptake, one device.
    const status = await waitFor('the campaign to confirm the device', async () => {
      const st = await root.ok('/api/v1/admin/update-campaign/status');
      const mine = (st.Devices as Array<{ DeviceID: string; Username: string; Status: number }>).find((d) => d.DeviceID === before.deviceId);
      return mine?.Status === UpdateStatus.UPDATESTATUS_UPDATE_CONFIRMED ? st : undefined;
    }, 60_000);
    expect(status).toMatchObject({ Active: true, CampaignID: started.CampaignID });
    const summary = await waitFor('the campaign to complete', async () => {
      const c = (await root.ok('/api/v1/admin/update-campaign/devices', { CampaignID: started.CampaignID })).Campaign;
      return c.CompletedTime > 0 ? c : undefined;
    });
    expect(summary).toMatchObject({ TargetVersion: CLIENT_VERSION, UptakePercent: 100, Counts: { Confirmed: 1, Failed: 0, Pending: 0, RequestMade: 0 } });
    const device = (await root.ok('/api/v1/admin/update-campaign/devices', { CampaignID: started.CampaignID, Status: UpdateStatus.UPDATESTATUS_UPDATE_CONFIRMED })).Devices;
    expect(device).toEqual([expect.objectContaining({ DeviceID: before.deviceId, Username: user.username, ReportedVersion: CLIENT_VERSION })]);
    const events = (await sql('SELECT type FROM "Event" WHERE "resourceId" = $1 ORDER BY id', [started.CampaignID])).map((e) => e.type);
    expect(events).toEqual([14501, 14505]);

    // The agent confirmed the update itself (nothing pending; the old version kept for a rollback).
    await waitFor('the update to be confirmed on the device', () => !fs.existsSync(path.join(agent!.prefix, 'state', 'update-pending')));
    expect(fs.readdirSync(path.join(agent!.prefix, 'versions')).sort()).toEqual([OLD_VERSION, CLIENT_VERSION].sort());
    expect(agent!.output()).toContain(`update to ${CLIENT_VERSION} confirmed`);
  }, 180_000);
});
