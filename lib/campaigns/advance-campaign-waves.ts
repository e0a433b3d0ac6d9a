// tenancy-file: system — wave bookkeeping of the server-wide campaign, run by the workers
// Staged rollout (Halley extension): the eligible devices are released in waves, a canary share first
// (CanaryPercent) and then BatchSize at a time (or all the rest). A wave is finished when none of its
// devices is waiting any more (each is CONFIRMED or FAILED) or after HALLEY_CAMPAIGN_WAVE_TIMEOUT_SECONDS;
// if more of its devices FAILED than FailureThresholdPercent the campaign pauses, otherwise the next wave
// is released. The first time nothing is left to do the campaign is marked completed (it stays active: a
// device that connects later is still updated). A campaign without rollout settings is one wave from the start.
import { UpdateStatus } from '../comet/constants';
import { db } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { apiMessage } from '../i18n/api-messages';
import { storedMessage } from '../i18n/stored-message';
import { env } from '../env';
import { emitEvent } from '../events/emit';
import { log } from '../log';
import { TOP_LEVEL_TENANT_ID, type Actor } from '../tenancy/actor';
import { CampaignEventType } from '../events/halley-event-types';

const SYSTEM: Actor = { kind: 'anonymous' };
const S = UpdateStatus;

type TAdvance = 'released' | 'paused' | 'completed' | 'waiting' | 'idle';

/**
 * True when the campaign's current wave surely still waits for a device (one PENDING or REQUEST_MADE row, the
 * wave not timed out): one index probe, no lock. Every device that comes back calls advanceCampaignWaves, and
 * the full pass (an advisory lock and a count of every row of the campaign) made a 10,000-device campaign cost
 * 10,000 serialised counts of 10,000 rows. Two devices finishing the wave at once cannot both miss the end: each
 * probe is one statement after that device's own update committed, so the later of the two sees both.
 */
async function currentWaveWaiting(campaignId: string): Promise<boolean> {
  const [row] = await db().$queryRawUnsafe<Array<{ waiting: boolean }>>(
    `SELECT EXISTS (SELECT 1 FROM "CampaignDevice" AS d WHERE d."campaignId" = c."id" AND d."wave" = c."currentWave" AND d."status" IN ($2, $3)) AS "waiting"
       FROM "Campaign" AS c
      WHERE c."id" = $1 AND c."current" = TRUE AND c."state" = 'running' AND c."currentWave" > 0 AND c."waveStartTime" > $4`,
    campaignId,
    S.UPDATESTATUS_PENDING,
    S.UPDATESTATUS_REQUEST_MADE,
    BigInt(Math.floor(Date.now() / 1000) - env().HALLEY_CAMPAIGN_WAVE_TIMEOUT_SECONDS),
  );
  return row?.waiting === true;
}

export async function advanceCampaignWaves(campaignId: string, opts: { acceptCurrentWave?: boolean; actor?: Actor } = {}): Promise<TAdvance> {
  if (!opts.acceptCurrentWave && (await currentWaveWaiting(campaignId))) return 'waiting';
  const outcome = await db().$transaction(async (tx) => {
    // One advance at a time per campaign (several workers, several triggers).
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `campaign:${campaignId}`);
    const c = await tx.campaign.findUnique({
      where: { id: campaignId },
      select: { state: true, current: true, currentWave: true, waveStartTime: true, canaryPercent: true, batchSize: true, failureThreshold: true, completedTime: true },
    });
    if (!c || c.current !== true || c.state !== 'running') return 'idle' as const;
    const now = Math.floor(Date.now() / 1000);
    const groups = await tx.campaignDevice.groupBy({ by: ['wave', 'status'], where: { campaignId }, _count: { _all: true } });
    const count = (pred: (g: { wave: number; status: number }) => boolean) => groups.filter(pred).reduce((n, g) => n + g._count._all, 0);

    if (c.currentWave > 0 && !opts.acceptCurrentWave) {
      const inWave = (status: number) => count((g) => g.wave === c.currentWave && g.status === status);
      const waiting = inWave(S.UPDATESTATUS_PENDING) + inWave(S.UPDATESTATUS_REQUEST_MADE);
      const timedOut = now - Number(c.waveStartTime) >= env().HALLEY_CAMPAIGN_WAVE_TIMEOUT_SECONDS;
      if (waiting > 0 && !timedOut) return 'waiting' as const;
      const failed = inWave(S.UPDATESTATUS_UPDATE_FAILED);
      const done = failed + inWave(S.UPDATESTATUS_UPDATE_CONFIRMED);
      if (c.failureThreshold > 0 && done > 0 && failed * 100 > c.failureThreshold * done) {
        const why = apiMessage('campaignPausedWave', { wave: String(c.currentWave), failed: String(failed), done: String(done), threshold: String(c.failureThreshold) });
        const reason = why.text;
        await tx.campaign.update({ where: { id: campaignId }, data: { state: 'paused', pauseReason: reason, pauseReasonKey: storedMessage([why]) as Prisma.InputJsonValue } });
        await emitEvent(tx, opts.actor ?? SYSTEM, { tenantId: TOP_LEVEL_TENANT_ID, type: CampaignEventType.PAUSED, resourceId: campaignId, data: { CampaignID: campaignId, PauseReason: reason, Automatic: true } });
        return 'paused' as const;
      }
    }

    const unreleased = count((g) => g.wave === 0 && g.status === S.UPDATESTATUS_PENDING);
    if (unreleased > 0) {
      const eligible = count((g) => g.status === S.UPDATESTATUS_PENDING || g.status === S.UPDATESTATUS_REQUEST_MADE || g.status === S.UPDATESTATUS_UPDATE_CONFIRMED || g.status === S.UPDATESTATUS_UPDATE_FAILED);
      const size =
        c.currentWave === 0 && c.canaryPercent > 0 ? Math.max(1, Math.ceil((eligible * c.canaryPercent) / 100)) : c.batchSize > 0 ? c.batchSize : unreleased;
      const wave = c.currentWave + 1;
      await tx.$executeRawUnsafe(
        `UPDATE "CampaignDevice" SET "wave" = $1, "updatedAt" = now()
          WHERE "id" IN (SELECT "id" FROM "CampaignDevice" WHERE "campaignId" = $2 AND "status" = $3 AND "wave" = 0 ORDER BY "id" LIMIT $4)`,
        wave,
        campaignId,
        S.UPDATESTATUS_PENDING,
        size,
      );
      await tx.campaign.update({ where: { id: campaignId }, data: { currentWave: wave, waveStartTime: BigInt(now) } });
      return 'released' as const;
    }

    const open = count((g) => g.status === S.UPDATESTATUS_PENDING || g.status === S.UPDATESTATUS_REQUEST_MADE);
    if (open === 0 && c.completedTime === 0n) {
      const confirmed = count((g) => g.status === S.UPDATESTATUS_UPDATE_CONFIRMED);
      const failed = count((g) => g.status === S.UPDATESTATUS_UPDATE_FAILED);
      await tx.campaign.update({ where: { id: campaignId }, data: { completedTime: BigInt(now) } });
      await emitEvent(tx, SYSTEM, { tenantId: TOP_LEVEL_TENANT_ID, type: CampaignEventType.COMPLETED, resourceId: campaignId, data: { CampaignID: campaignId, Confirmed: confirmed, Failed: failed } });
      return 'completed' as const;
    }
    return 'waiting' as const;
  });
  if (outcome === 'paused' || outcome === 'completed') log.info({ campaignId, outcome }, 'update campaign');
  return outcome;
}
