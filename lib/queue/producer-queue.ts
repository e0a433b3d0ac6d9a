// A producer's BullMQ queue, created on first use and shared by the callers of this process: the web process and
// the workers enqueue through it. A failed start is forgotten, so the next call tries again (Redis may be back).
import { Queue } from 'bullmq';
import { producerConnection } from './connection';

type ProducerQueue = {
  /** The queue, ready to add jobs. */
  get(): Promise<Queue>;
  /** Closes this process's connection (tests and scripts); the next get() opens a new one. */
  close(): Promise<void>;
};

export function producerQueue(name: string): ProducerQueue {
  let ready: Promise<Queue> | undefined;
  return {
    get() {
      ready ??= (async () => {
        const queue = new Queue(name, { connection: { ...producerConnection(), enableOfflineQueue: true } });
        await queue.waitUntilReady();
        return queue;
      })().catch((err) => {
        ready = undefined;
        throw err;
      });
      return ready;
    },
    async close() {
      const q = ready;
      ready = undefined;
      if (q) await (await q.catch(() => undefined))?.close();
    },
  };
}
