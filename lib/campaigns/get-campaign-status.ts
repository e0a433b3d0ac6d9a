// admin/update-campaign/status: the current campaign as Comet's UpdateCampaignStatus (every device with
// its UPDATESTATUS_). Without any campaign yet: an inactive, empty status.
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';

import { requireTopLevel } from '../tenancy/scope';
import { parseCampaignOptions } from './campaign-options';
import { isActiveState } from './campaign-summary';

export async function getCampaignStatus(opts: { actor: AdminActor }): Promise<Record<string, unknown>> {
  requireTopLevel(opts.actor);
  const c = await db().campaign.findFirst({ where: { current: true }, select: { id: true, state: true, options: true, startTime: true, targetVersion: true } });
  if (!c) {
    return { Active: false, UpgradeOlder: false, ReinstallCurrentVer: false, DowngradeNewer: false, ForceUpgradeRunning: false, ApplyDeviceFilter: false, DeviceFilter: { ClauseType: '', RuleField: '', RuleOperator: '', RuleValue: '' }, StartTime: 0, TargetVersion: '', Devices: [] };
  }
  const o = parseCampaignOptions(c.options);
  // tenancy: top-level — the campaign covers every tenant's devices (requireTopLevel above)
  const devices = await db().campaignDevice.findMany({ where: { campaignId: c.id }, select: { username: true, deviceId: true, status: true }, orderBy: [{ username: 'asc' }, { deviceId: 'asc' }] });
  return {
    Active: isActiveState(c.state),
    UpgradeOlder: o.UpgradeOlder,
    ReinstallCurrentVer: o.ReinstallCurrentVer,
    DowngradeNewer: o.DowngradeNewer,
    ForceUpgradeRunning: o.ForceUpgradeRunning,
    ApplyDeviceFilter: o.ApplyDeviceFilter,
    DeviceFilter: { ClauseType: '', RuleField: '', RuleOperator: '', RuleValue: '', ...o.DeviceFilter },
    StartTime: Number(c.startTime),
    TargetVersion: c.targetVersion,
    Devices: devices.map((d) => ({ Username: d.username, DeviceID: d.deviceId, Status: d.status })),
    // Halley (additive): the campaign's id and state (running, paused, finished, aborted).
    CampaignID: c.id,
    State: c.state,
  };
}
