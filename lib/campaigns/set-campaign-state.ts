// Halley extensions: pause, resume or abort the current campaign. Pausing stops new update requests (a
// device already asked still reports back); resuming after an automatic pause accepts the failed wave and
// releases the next; aborting ends the campaign (its devices keep their last status in the history).
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import { TOP_LEVEL_TENANT_ID, type AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { CampaignEventType } from '../events/halley-event-types';
import { enqueueDrive } from './campaign-queue';
import { advanceCampaignWaves } from './advance-campaign-waves';
import { apiMessage, localizeApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { Prisma } from '../generated/prisma/client';
import { storedMessage } from '../i18n/stored-message';
import { noteCampaignChanged } from './note-device-connected';

type TCampaignAction = 'pause' | 'resume' | 'abort';

const FROM: Record<TCampaignAction, string[]> = { pause: ['running'], resume: ['paused'], abort: ['running', 'paused'] };

/** `locale`: the language of the answer's Message (the caller's). */
export async function setCampaignState(opts: { actor: AdminActor; action: TCampaignAction; locale?: Locale }): Promise<{ Status: number; Message: string }> {
  const { actor, action } = opts;
  requireTopLevel(actor);
  const now = Math.floor(Date.now() / 1000);
  const result = await db().$transaction(async (tx) => {
    const c = await tx.campaign.findFirst({ where: { current: true }, select: { id: true, state: true, pauseReason: true } });
    if (!c) throw new BadRequestError(apiMessage('campaignNone'));
    if (!FROM[action].includes(c.state)) throw new BadRequestError(apiMessage('campaignStateRefuses', { state: c.state, action }));
    if (action === 'pause') {
      // The English text starts "Paused by " (the resume below tells a pause by hand from an automatic one by it).
      const why = apiMessage('campaignPausedBy', { username: actor.username });
      const reason = why.text;
      await tx.campaign.update({ where: { id: c.id }, data: { state: 'paused', pauseReason: reason, pauseReasonKey: storedMessage([why]) as Prisma.InputJsonValue } });
      await emitEvent(tx, actor, { tenantId: TOP_LEVEL_TENANT_ID, type: CampaignEventType.PAUSED, resourceId: c.id, data: { CampaignID: c.id, PauseReason: reason, Automatic: false } });
    } else if (action === 'resume') {
      await tx.campaign.update({ where: { id: c.id }, data: { state: 'running', pauseReason: '', pauseReasonKey: Prisma.DbNull } });
      await emitEvent(tx, actor, { tenantId: TOP_LEVEL_TENANT_ID, type: CampaignEventType.RESUMED, resourceId: c.id, data: { CampaignID: c.id } });
    } else {
      await tx.campaign.update({ where: { id: c.id }, data: { state: 'aborted', endTime: BigInt(now) } });
      await emitEvent(tx, actor, { tenantId: TOP_LEVEL_TENANT_ID, type: CampaignEventType.FINISHED, resourceId: c.id, data: { CampaignID: c.id, State: 'aborted' } });
    }
    return { id: c.id, autoPaused: c.state === 'paused' && !c.pauseReason.startsWith('Paused by ') };
  });
  if (action === 'abort') await noteCampaignChanged();
  if (action === 'resume') {
    // The wave that tripped the failure threshold is accepted by the admin who resumed.
    if (result.autoPaused) await advanceCampaignWaves(result.id, { acceptCurrentWave: true, actor });
    await enqueueDrive(result.id);
  }
  const done = action === 'pause' ? apiMessage('campaignPaused') : action === 'resume' ? apiMessage('campaignResumed') : apiMessage('campaignAborted');
  return { Status: 200, Message: localizeApiMessage(done, opts.locale ?? 'en') };
}
