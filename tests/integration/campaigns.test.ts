// Bulk upgrade campaigns end to end: simulated devices (agent/simulated.ts) at an older client version,
// admin/update-campaign/start with a DeviceFilter (one tenant's Linux devices), the per-device
// UPDATESTATUS_ progression through the workers and the relay, a running backup that is not interrupted,
// a device that connects after the start, staged rollout with an automatic pause, pause/resume/abort,
// the history, events, and the refusals (tenant admins, bad filters, bad rollout settings).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedDevices, type SimulatedDevice } from '../../agent/simulated';
import { CLIENT_VERSION } from '../../lib/client-builds/client-version';
import { UpdateStatus } from '../../lib/comet/constants';
import type { CometClient } from '../helpers/comet-client';
import { callIn } from '../helpers/in-language';
import { makeTenant, makeUser, rootClient, type TenantFixture } from '../helpers/fixtures';
import { scrape } from '../helpers/prometheus';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const OLD = '25.9.0';
const S = UpdateStatus;
let root: CometClient;
let a: TenantFixture;
let b: TenantFixture;
const fleets: SimulatedDevice[] = [];

function simulate(user: { username: string; password: string }, count: number, extra: { jobSeconds?: number; updateFailurePercent?: number; updateFailureReports?: boolean } = {}): Promise<SimulatedDevice[]> {
  return startSimulatedDevices({
    url: halleyUrl(),
    ...user,
    count,
    prefix: `camp-${randomUUID().slice(0, 8)}`,
    clientVersion: OLD,
    backoff: { baseMs: 100, maxMs: 1000 },
    updateMs: 100,
    ...extra,
  }).then((devices) => {
    fleets.push(...devices);
    return devices;
  });
}

async function connected(devices: SimulatedDevice[]): Promise<void> {
  await waitFor('devices connected', () => devices.every((d) => d.client.connected));
}

async function statusOf(devices: SimulatedDevice[]): Promise<Record<string, number>> {
  const st = await root.ok('/api/v1/admin/update-campaign/status');
  const ids = new Set(devices.map((d) => d.deviceId));
  return Object.fromEntries((st.Devices as Array<{ DeviceID: string; Status: number }>).filter((d) => ids.has(d.DeviceID)).map((d) => [d.DeviceID, d.Status]));
}

const rule = (RuleField: string, RuleValue: string, RuleOperator = 'str_eq') => ({ ClauseType: '', RuleField, RuleOperator, RuleValue });
const options = (extra: Record<string, unknown> = {}) => ({ Active: true, UpgradeOlder: true, ReinstallCurrentVer: false, DowngradeNewer: false, ForceUpgradeRunning: false, ApplyDeviceFilter: false, ...extra });

beforeAll(async () => {
  root = await rootClient();
  a = await makeTenant('camp-a');
  b = await makeTenant('camp-b');
});

afterAll(async () => {
  // Leave no active campaign behind for the other test files.
  await root?.ok('/api/v1/admin/update-campaign/start', { Options: { Active: false } }).catch(() => undefined);
  for (const d of fleets) d.stop();
});

describe('refusals', () => {
  it('is top-level only', async () => {
    for (const path of ['start', 'status', 'pause', 'resume', 'abort', 'history', 'devices']) {
      const r = await a.admin.fails(`/api/v1/admin/update-campaign/${path}`, path === 'start' ? { Options: options() } : {});
      expect(r.Status, path).toBe(403);
    }
  });

  it('answers a clear 400 for an unknown field or operator, bad JSON and bad rollout settings', async () => {
    const unknownField = await root.fails('/api/v1/admin/update-campaign/start', { Options: options({ ApplyDeviceFilter: true, DeviceFilter: rule('Colour', 'blue') }) });
    expect(unknownField).toEqual({ Status: 400, Message: expect.stringMatching(/Unknown search field "Colour"/) });
    const unknownOp = await root.fails('/api/v1/admin/update-campaign/start', { Options: options({ ApplyDeviceFilter: true, DeviceFilter: rule('Username', 'x', 'str_sounds_like') }) });
    expect(unknownOp).toEqual({ Status: 400, Message: expect.stringMatching(/Unknown search operator "str_sounds_like"/) });
    const badType = await root.fails('/api/v1/admin/update-campaign/start', { Options: options({ ApplyDeviceFilter: true, DeviceFilter: rule('Username', '1', 'int_gt') }) });
    expect(badType.Status).toBe(400);
    const badRegex = await root.fails('/api/v1/admin/update-campaign/start', { Options: options({ ApplyDeviceFilter: true, DeviceFilter: rule('Username', '(', 'str_regexmatch') }) });
    expect(badRegex).toEqual({ Status: 400, Message: expect.stringMatching(/Invalid regular expression/) });
    expect((await root.fails('/api/v1/admin/update-campaign/start', { Options: '{not json' })).Status).toBe(400);
    expect((await root.fails('/api/v1/admin/update-campaign/start', { Options: { Active: 'yes' } })).Status).toBe(400);
    expect((await root.fails('/api/v1/admin/update-campaign/start', { Options: options(), CanaryPercent: 101 })).Status).toBe(400);
    expect((await root.fails('/api/v1/admin/update-campaign/devices', { CampaignID: randomUUID() })).Status).toBe(404);
  });
});

describe('a filtered campaign (one tenant, Linux only)', () => {
  let fleetA: SimulatedDevice[];
  let fleetB: SimulatedDevice[];
  let campaignId: string;
  let backupJob: string;

  it('updates exactly the eligible devices, waits for a running backup, and confirms their new version', { timeout: 180_000 }, async () => {
    // Devices cycle windows, linux, darwin: indexes 1 and 4 are Linux.
    fleetA = await simulate(await makeUser(root, { targetOrganization: a.id }), 6, { jobSeconds: 4 });
    fleetB = await simulate(await makeUser(root, { targetOrganization: b.id }), 3);
    await connected([...fleetA, ...fleetB]);
    const busy = fleetA[1];
    backupJob = randomUUID();
    void busy.backup(backupJob, '', '');
    await waitFor('backup running', async () => (await sql('SELECT status FROM "Job" WHERE id = $1', [backupJob]))[0]?.status >= 6000);

    const started = await root.ok('/api/v1/admin/update-campaign/start', {
      Options: options({ ApplyDeviceFilter: true, DeviceFilter: { ClauseType: 'and', ClauseChildren: [rule('OrganizationID', a.id), rule('PlatformOS', 'linux')] } }),
    });
    expect(started).toMatchObject({ Status: 200, Message: expect.stringContaining(CLIENT_VERSION) });
    campaignId = started.CampaignID;

    const first = await statusOf([...fleetA, ...fleetB]);
    for (const d of [...fleetA.filter((_d, i) => i !== 1 && i !== 4), ...fleetB]) expect(first[d.deviceId], d.deviceId).toBe(S.UPDATESTATUS_INELIGIBLE);
    // The busy device is not asked while its backup runs.
    expect(first[busy.deviceId]).toBe(S.UPDATESTATUS_PENDING);

    // Bounded generously: the workers' campaign timer, the relay and the device's reconnect on a busy 2-core machine.
    await waitFor('linux device 4 confirmed', async () => (await statusOf([fleetA[4]]))[fleetA[4].deviceId] === S.UPDATESTATUS_UPDATE_CONFIRMED, 60_000);
    expect(fleetA[4].version).toBe(CLIENT_VERSION);
    await waitFor('busy device confirmed after its backup', async () => (await statusOf([busy]))[busy.deviceId] === S.UPDATESTATUS_UPDATE_CONFIRMED, 60_000);
    expect(busy.version).toBe(CLIENT_VERSION);
    const [job] = await sql('SELECT status, "endTime" FROM "Job" WHERE id = $1', [backupJob]);
    expect(job.status).not.toBe(7002); // not cancelled: the backup ran to its end
    expect(job.status < 6000 || job.status >= 7000).toBe(true);
    const page = await root.ok('/api/v1/admin/update-campaign/devices', { Search: busy.deviceId });
    expect(page.Devices).toHaveLength(1);
    expect(page.Devices[0].RequestTime).toBeGreaterThanOrEqual(Number(job.endTime));
    // Nobody else was touched.
    for (const d of [...fleetA.filter((_d, i) => i !== 1 && i !== 4), ...fleetB]) expect(d.version).toBe(OLD);
    // Campaign progress on /metrics: the running campaign, its devices by status, both eligible ones done.
    const m = await scrape(halleyUrl('/metrics'));
    expect(m.value('halley_campaigns', { state: 'running' })).toBe(1);
    expect(m.value('halley_campaign_devices', { status: 'update_confirmed' })).toBe(2);
    expect(m.value('halley_campaign_devices', { status: 'ineligible' })).toBeGreaterThanOrEqual(7);
    // Done share of the eligible devices: devices other test files left registered (offline, never reached) count
    // as eligible and not done, so the ratio is checked against the per-status series rather than assumed 1.
    const counts = Object.entries(UpdateStatus).map(([name, code]) => ({ code, n: m.value('halley_campaign_devices', { status: name.replace(/^UPDATESTATUS_/, '').toLowerCase() }) ?? 0 }));
    const eligible = counts.filter((c) => c.code !== UpdateStatus.UPDATESTATUS_INELIGIBLE).reduce((a, c) => a + c.n, 0);
    const done = counts.filter((c) => c.code === UpdateStatus.UPDATESTATUS_UPDATE_CONFIRMED || c.code === UpdateStatus.UPDATESTATUS_UPDATE_FAILED).reduce((a, c) => a + c.n, 0);
    expect(done).toBeGreaterThanOrEqual(2);
    expect(m.value('halley_campaign_done_ratio')).toBeCloseTo(done / eligible, 6);
  });

  it('updates an eligible device that connects after the start', async () => {
    const late = await simulate(await makeUser(root, { targetOrganization: a.id }), 2);
    await waitFor('late linux device confirmed', async () => (await statusOf(late))[late[1].deviceId] === S.UPDATESTATUS_UPDATE_CONFIRMED, 60_000);
    expect(late[1].version).toBe(CLIENT_VERSION);
    expect((await statusOf(late))[late[0].deviceId]).toBe(S.UPDATESTATUS_INELIGIBLE);
  });

  it('reports the campaign in Comet shape, in the history and in the device table', async () => {
    const st = await root.ok('/api/v1/admin/update-campaign/status');
    expect(st).toMatchObject({ Active: true, UpgradeOlder: true, ApplyDeviceFilter: true, TargetVersion: CLIENT_VERSION, CampaignID: campaignId });
    expect(st.StartTime).toBeGreaterThan(0);
    expect(st.DeviceFilter.ClauseType).toBe('and');
    const [current] = await root.ok('/api/v1/admin/update-campaign/history');
    expect(current).toMatchObject({ CampaignID: campaignId, State: 'running', Active: true, Current: true, Counts: { Confirmed: 3, Pending: 0, RequestMade: 0, Failed: 0 }, Eligible: 3, UptakePercent: 100 });
    expect(current.CompletedTime).toBeGreaterThan(0);
    const confirmed = await root.ok('/api/v1/admin/update-campaign/devices', { Status: S.UPDATESTATUS_UPDATE_CONFIRMED });
    expect(confirmed.Total).toBe(3);
    expect(confirmed.Devices.every((d: any) => d.OrganizationID === a.id && d.ReportedVersion === CLIENT_VERSION)).toBe(true);
    const events = await sql('SELECT type FROM "Event" WHERE "resourceId" = $1 ORDER BY id', [campaignId]);
    expect(events.map((e) => e.type)).toEqual([14501, 14505]);
  });
});

describe('reported update failures', () => {
  it('marks a device failed with the reason its agent reports, writes an event in its organization, and completes', async () => {
    const user = await makeUser(root, { targetOrganization: a.id });
    // One device fails its update (and reports it, as agents do since the update.failed report), one updates.
    const [failing] = await simulate(user, 1, { updateFailurePercent: 100 });
    const [updating] = await simulate(user, 1);
    const fleet = [failing, updating];
    await connected(fleet);
    const started = await root.ok('/api/v1/admin/update-campaign/start', { Options: options({ ApplyDeviceFilter: true, DeviceFilter: rule('Username', user.username) }) });
    const failed = await waitFor('the reported failure', async () => {
      const r = await root.ok('/api/v1/admin/update-campaign/devices', { CampaignID: started.CampaignID, Status: S.UPDATESTATUS_UPDATE_FAILED });
      return (r.Devices as Array<{ DeviceID: string; Message: string }>).find((d) => d.DeviceID === failing.deviceId && d.Message.includes('(rollback)'));
    });
    const deviceWords = `The update to ${CLIENT_VERSION} did not come up (simulated device): rolled back to ${OLD}`;
    expect(failed.Message).toBe(`Update to ${CLIENT_VERSION} failed (rollback): ${deviceWords}`);
    // Issue 19: read in the caller's language, the agent's own words verbatim inside; a row from before keeps its text.
    const failedIn = async (lang: 'de' | 'ja') =>
      ((await callIn(root, lang, '/api/v1/admin/update-campaign/devices', { CampaignID: started.CampaignID, Search: failing.deviceId })).Devices as Array<{ Message: string }>)[0].Message;
    expect(await failedIn('de')).toBe(`Update auf ${CLIENT_VERSION} fehlgeschlagen (rollback): ${deviceWords}`);
    expect(await failedIn('ja')).toBe(`${CLIENT_VERSION} への更新に失敗しました (rollback): ${deviceWords}`);
    await sql('UPDATE "CampaignDevice" SET "messageKey" = NULL WHERE "campaignId" = $1 AND "deviceId" = $2', [started.CampaignID, failing.deviceId]);
    expect(await failedIn('de')).toBe(failed.Message);
    await waitFor('the other device confirmed', async () => (await statusOf([updating]))[updating.deviceId] === S.UPDATESTATUS_UPDATE_CONFIRMED);
    expect(await statusOf(fleet)).toEqual({ [failing.deviceId]: S.UPDATESTATUS_UPDATE_FAILED, [updating.deviceId]: S.UPDATESTATUS_UPDATE_CONFIRMED });
    // The failure was reported once (acknowledged): one event, in the device's organization.
    await waitFor('no report outstanding', () => failing.client.pendingReports === 0);
    const events = await sql<{ tenantId: string; data: Record<string, string> }>('SELECT "tenantId", data FROM "Event" WHERE type = 14506 AND "resourceId" = $1', [failing.deviceId]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ tenantId: a.id, data: { DeviceID: failing.deviceId, Username: user.username, Version: CLIENT_VERSION, Stage: 'rollback', CampaignID: started.CampaignID } });
    const types = await waitFor('the campaign completed', async () => {
      const rows = (await sql('SELECT type FROM "Event" WHERE "resourceId" = $1 ORDER BY id', [started.CampaignID])).map((e) => e.type);
      return rows.includes(14505) ? rows : undefined;
    });
    expect(types).toEqual([14501, 14505]);
    // The campaign stays current: the next test's start replaces it. (Stopping it here would let a web node
    // cache "no campaign" for up to 2 s, note-device-connected.ts, and miss the next campaign's fast
    // simulated reconnects until the timer.)
  });
});

describe('staged rollout', () => {
  it('pauses when a wave fails, resumes with the next wave, and aborts', async () => {
    const user = await makeUser(root, { targetOrganization: a.id });
    // Agents from before the update.failed report: the server judges them by the version they come back with.
    const fleet = await simulate(user, 4, { updateFailurePercent: 100, updateFailureReports: false });
    await connected(fleet);
    const started = await root.ok('/api/v1/admin/update-campaign/start', {
      Options: options({ ApplyDeviceFilter: true, DeviceFilter: rule('Username', user.username) }),
      CanaryPercent: 25,
      BatchSize: 2,
      FailureThresholdPercent: 50,
    });
    const summary = async () => (await root.ok('/api/v1/admin/update-campaign/devices', { CampaignID: started.CampaignID })).Campaign;
    const paused1 = await waitFor('paused after the canary', async () => {
      const c = await summary();
      return c.State === 'paused' ? c : undefined;
    });
    expect(paused1).toMatchObject({ CurrentWave: 1, Counts: { Failed: 1, Pending: 3 }, PauseReason: expect.stringMatching(/Wave 1: 1 of 1 devices failed/) });
    expect(fleet.every((d) => d.version === OLD)).toBe(true);

    await root.ok('/api/v1/admin/update-campaign/resume');
    const paused2 = await waitFor('paused after wave 2', async () => {
      const c = await summary();
      return c.State === 'paused' && c.CurrentWave === 2 ? c : undefined;
    });
    expect(paused2.Counts).toMatchObject({ Failed: 3, Pending: 1 });
    const failed = await root.ok('/api/v1/admin/update-campaign/devices', { CampaignID: started.CampaignID, Status: S.UPDATESTATUS_UPDATE_FAILED });
    expect(failed.Devices[0].Message).toMatch(new RegExp(`Reconnected with version ${OLD.replace(/\./g, '\\.')}`));
    // Issue 19: the devices' Message and the PauseReason in the caller's language.
    const inGerman = await callIn(root, 'de', '/api/v1/admin/update-campaign/devices', { CampaignID: started.CampaignID, Status: S.UPDATESTATUS_UPDATE_FAILED });
    expect(inGerman.Devices[0].Message).toBe(`Mit Version ${OLD} statt ${CLIENT_VERSION} wieder verbunden`);
    expect(inGerman.Campaign.PauseReason).toBe('Welle 2: Bei 2 von 2 Geräten ist das Update fehlgeschlagen (Schwelle 50 %)');

    expect((await root.fails('/api/v1/admin/update-campaign/pause')).Status).toBe(400);
    await root.ok('/api/v1/admin/update-campaign/abort');
    const st = await root.ok('/api/v1/admin/update-campaign/status');
    expect(st).toMatchObject({ Active: false, State: 'aborted', CampaignID: started.CampaignID });
    expect((await root.fails('/api/v1/admin/update-campaign/resume')).Status).toBe(400);
    const types = (await sql('SELECT type FROM "Event" WHERE "resourceId" = $1 ORDER BY id', [started.CampaignID])).map((e) => e.type);
    expect(types).toEqual([14501, 14502, 14503, 14502, 14504]);
  });

  it('pauses and resumes by hand, and Active=false stops the campaign', async () => {
    const user = await makeUser(root, { targetOrganization: b.id });
    const started = await root.ok('/api/v1/admin/update-campaign/start', { Options: options({ ApplyDeviceFilter: true, DeviceFilter: rule('Username', user.username) }) });
    await root.ok('/api/v1/admin/update-campaign/pause');
    expect((await root.ok('/api/v1/admin/update-campaign/status')).State).toBe('paused');
    const [byHand] = await callIn(root, 'es', '/api/v1/admin/update-campaign/history', { Limit: 1 });
    expect(byHand).toMatchObject({ CampaignID: started.CampaignID, PauseReason: expect.stringMatching(/^Pausada por \S+$/) });
    expect((await root.ok('/api/v1/admin/update-campaign/history', { Limit: 1 }))[0].PauseReason).toMatch(/^Paused by \S+$/);
    // The answers' words in the caller's language too.
    expect(await callIn(root, 'de', '/api/v1/admin/update-campaign/resume')).toMatchObject({ Status: 200, Message: 'Update-Kampagne fortgesetzt' });
    expect((await root.ok('/api/v1/admin/update-campaign/status')).State).toBe('running');
    expect(await root.ok('/api/v1/admin/update-campaign/start', { Options: { Active: false } })).toMatchObject({ Status: 200, Message: 'Update campaign stopped' });
    expect(await root.ok('/api/v1/admin/update-campaign/status')).toMatchObject({ Active: false, State: 'finished', CampaignID: started.CampaignID });
    const history = await root.ok('/api/v1/admin/update-campaign/history', { Limit: 5 });
    expect(history[0]).toMatchObject({ CampaignID: started.CampaignID, State: 'finished', Active: false });
    expect(history.slice(1).every((c: any) => !c.Current)).toBe(true);
  });
});
