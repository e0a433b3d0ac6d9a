// The bulletin job rides on the email queue (its work is making email deliveries; the send jobs it queues
// live there too).
import { emailQueue } from '../email/queue';

export const BULLETIN_JOB = 'bulletin-fan-out';

export async function enqueueBulletin(tenantId: string, bulletinId: string): Promise<void> {
  const q = await emailQueue();
  await q.add(BULLETIN_JOB, { tenantId, bulletinId }, { jobId: `bulletin.${bulletinId}`, attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 1000 });
}
