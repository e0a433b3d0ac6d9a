// The news queue (BullMQ): pushing a news item (or its removal) to an organization's connected devices is
// the workers' job (push-news.ts), so an organization with thousands of devices never holds up the API call.
import type { Queue } from 'bullmq';
import { producerQueue } from '../queue/producer-queue';
import { bumpVersion, readVersion } from '../queue/version-counter';

export const NEWS_QUEUE = 'halley-news';
export const NEWS_PUSH_JOB = 'news-push';

const queue = producerQueue(NEWS_QUEUE);

const newsQueue = (): Promise<Queue> => queue.get();

/** Bumped whenever an organization's news changes: web nodes keep each organization's list until it moves (push-news.ts). */
const NEWS_VERSION_KEY = 'halley:news:version';

/** Asks the workers to push a new item (newsId) or a removal (removedId) to the organization's connected devices. */
export async function enqueueNewsPush(push: { tenantId: string; newsId?: string; removedId?: string }): Promise<void> {
  const key = push.newsId ? `add.${push.newsId}` : `remove.${push.removedId}`;
  // Before the push: a device that connects from now on reads the list again, one connected before is pushed to.
  await bumpVersion(NEWS_VERSION_KEY);
  await (await newsQueue()).add(NEWS_PUSH_JOB, push, { jobId: `news.${key}`, attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 100, removeOnFail: 100 });
}

/** The news version counter (null before the first change). */
export function newsVersion(): Promise<string | null> {
  return readVersion(NEWS_VERSION_KEY);
}
