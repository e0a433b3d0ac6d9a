// admin/update-campaign/start: one current campaign per server (starting one ends the previous), target =
// this server's client version at start. Every registered device gets its UPDATESTATUS_ now; the workers
// then send the update (lib/campaigns/drive-campaign.ts). Options.Active=false stops the current campaign.
import { randomUUID } from 'node:crypto';
import { CLIENT_VERSION } from '../client-builds/client-version';
import { UpdateStatus } from '../comet/constants';
import { db, isUniqueViolation, type Tx } from '../db/client';
import { AppError } from '../errors';
import { emitEvent } from '../events/emit';
import { checkSearchRegexes } from '../job-search/check-regexes';
import { SqlParams } from '../job-search/compile-search-clause';
import { TOP_LEVEL_TENANT_ID, type AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import type { TRollout, TUpdateCampaignOptions } from './campaign-options';
import { CampaignEventType } from '../events/halley-event-types';
import { enqueueDrive } from './campaign-queue';
import { compileDeviceFilter, initialStatus } from './device-eligibility';
import { apiMessage, localizeApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { noteCampaignChanged } from './note-device-connected';
import { holdCampaignStart } from './campaign-start-lock';

/** Ends the current campaign (if it is still active) inside `tx`; returns its id. */
async function finishCurrentCampaign(tx: Tx, actor: AdminActor, state: 'finished' | 'aborted', now: number): Promise<string | null> {
  const current = await tx.campaign.findFirst({ where: { current: true }, select: { id: true, state: true } });
  if (!current) return null;
  await tx.campaign.update({ where: { id: current.id }, data: { current: null, ...(current.state === 'running' || current.state === 'paused' ? { state, endTime: BigInt(now) } : {}) } });
  if (current.state === 'running' || current.state === 'paused') {
    await emitEvent(tx, actor, { tenantId: TOP_LEVEL_TENANT_ID, type: CampaignEventType.FINISHED, resourceId: current.id, data: { CampaignID: current.id, State: state } });
  }
  return current.id;
}

/** `locale`: the language of the answer's Message (the caller's). */
export async function startCampaign(opts: { actor: AdminActor; options: TUpdateCampaignOptions; rollout: TRollout; selfAddress: string; locale?: Locale }): Promise<{ Status: number; Message: string; CampaignID: string }> {
  const { actor, options, rollout } = opts;
  requireTopLevel(actor);
  const params = new SqlParams();
  const filter = compileDeviceFilter(options, params);
  await checkSearchRegexes(filter.regexes);
  const now = Math.floor(Date.now() / 1000);

  if (!options.Active) {
    // Stopping: the campaign stays the current one (status shows it, inactive) until the next start.
    const id = await db().$transaction(async (tx) => {
      const current = await tx.campaign.findFirst({ where: { current: true, state: { in: ['running', 'paused'] } }, select: { id: true } });
      if (!current) return '';
      await tx.campaign.update({ where: { id: current.id }, data: { state: 'finished', endTime: BigInt(now) } });
      await emitEvent(tx, actor, { tenantId: TOP_LEVEL_TENANT_ID, type: CampaignEventType.FINISHED, resourceId: current.id, data: { CampaignID: current.id, State: 'finished' } });
      return current.id;
    });
    if (id) await noteCampaignChanged();
    return { Status: 200, Message: localizeApiMessage(id ? apiMessage('campaignStopped') : apiMessage('campaignNoneActive'), opts.locale ?? 'en'), CampaignID: id };
  }

  const target = CLIENT_VERSION;
  // The status of a device depends on its version (and the filter): worked out once per distinct version, so
  // the campaign's rows are written by one INSERT ... SELECT over the devices, none of them through this process
  // (at 10,000 devices, reading them and writing them back in chunks was most of the start's time).
  // tenancy: top-level — a campaign covers every device of the server (requireTopLevel above)
  const versions = await db().$queryRawUnsafe<Array<{ version: string }>>(`SELECT DISTINCT "clientVersion" AS "version" FROM "Device" WHERE "clientVersion" <> ''`);
  const statusOf = versions.map((v) => ({ version: v.version, status: initialStatus(v.version, true, options, target) }));
  const staged = rollout.canaryPercent > 0 || rollout.batchSize > 0;
  // The drive is requested before the rows are written (campaign-start-lock.ts): it lists the connections meanwhile.
  const newId = randomUUID();
  const create = async (tx: Tx): Promise<string> => {
    await holdCampaignStart(tx, newId);
    await enqueueDrive(newId, { starting: true });
    await finishCurrentCampaign(tx, actor, 'finished', now);
    const campaign = await tx.campaign.create({
      data: {
        id: newId,
        state: 'running',
        current: true,
        options: options as object,
        targetVersion: target,
        startTime: BigInt(now),
        canaryPercent: rollout.canaryPercent,
        batchSize: rollout.batchSize,
        failureThreshold: rollout.failureThreshold,
        // Without a staged rollout every eligible device is in wave 1 from the start.
        currentWave: staged ? 0 : 1,
        waveStartTime: staged ? 0n : BigInt(now),
        startedBy: actor.username,
        selfAddress: opts.selfAddress,
      },
      select: { id: true },
    });
    // initialStatus per device: NOT_SEEN without a version, INELIGIBLE outside the filter, else by its version.
    const campaignParam = params.add(campaign.id, 'text');
    const statusParam = params.add(JSON.stringify(statusOf), 'text');
    const p = (n: number) => params.add(n, 'int');
    // tenancy: top-level — every device of the server (requireTopLevel above)
    const [written] = await tx.$queryRawUnsafe<Array<{ devices: number; eligible: number }>>(
      `WITH "inserted" AS (
         INSERT INTO "CampaignDevice" ("id", "campaignId", "tenantId", "accountId", "deviceId", "username", "friendlyName", "status", "wave", "version", "updatedAt")
         SELECT gen_random_uuid()::text, ${campaignParam}, d."tenantId", d."accountId", d."deviceId", a."username", d."friendlyName", s."status",
                CASE WHEN s."status" = ${p(UpdateStatus.UPDATESTATUS_PENDING)} THEN ${p(staged ? 0 : 1)} ELSE 0 END, COALESCE(d."clientVersion", ''), now()
           FROM "Device" AS d
           JOIN "Account" AS a ON a."id" = d."accountId"
           LEFT JOIN jsonb_to_recordset(${statusParam}::jsonb) AS v("version" text, "status" int) ON v."version" = d."clientVersion"
           CROSS JOIN LATERAL (
             SELECT CASE WHEN COALESCE(d."clientVersion", '') = '' THEN ${p(UpdateStatus.UPDATESTATUS_NOT_SEEN)}
                         WHEN (${filter.sql}) IS NOT TRUE THEN ${p(UpdateStatus.UPDATESTATUS_INELIGIBLE)}
                         ELSE COALESCE(v."status", ${p(UpdateStatus.UPDATESTATUS_INELIGIBLE)}) END AS "status"
           ) AS s
         RETURNING "status")
       SELECT count(*)::int AS "devices", (count(*) FILTER (WHERE "status" = ${p(UpdateStatus.UPDATESTATUS_PENDING)}))::int AS "eligible" FROM "inserted"`,
      ...params.values,
    );
    await emitEvent(tx, actor, {
      tenantId: TOP_LEVEL_TENANT_ID,
      type: CampaignEventType.STARTED,
      resourceId: campaign.id,
      data: { CampaignID: campaign.id, TargetVersion: target, Options: options, Devices: written.devices, Eligible: written.eligible, ...rollout },
    });
    return campaign.id;
  };
  let campaignId: string;
  try {
    campaignId = await db().$transaction(create, { timeout: 60_000 });
  } catch (err) {
    // Two starts at the same moment: the unique "current" flag lets one of them win.
    if (isUniqueViolation(err)) throw new AppError(409, apiMessage('campaignStartRace'));
    throw err;
  }
  await noteCampaignChanged();
  return { Status: 200, Message: localizeApiMessage(apiMessage('campaignStarted', { version: target }), opts.locale ?? 'en'), CampaignID: campaignId };
}
