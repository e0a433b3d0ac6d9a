// Redis connection options for BullMQ. Workers and producers each get their own connection
// (BullMQ requires maxRetriesPerRequest: null on blocking worker connections).
import { env } from '../env';

export function redisUrl(): string {
  const url = env().REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: `npm start` starts a private redis-server, or point REDIS_URL at one');
  return url;
}

export function workerConnection() {
  return { url: redisUrl(), maxRetriesPerRequest: null };
}

export function producerConnection() {
  return { url: redisUrl(), maxRetriesPerRequest: 3, enableOfflineQueue: false };
}
