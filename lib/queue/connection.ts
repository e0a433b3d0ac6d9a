// Redis connection options for BullMQ and ioredis. Workers and producers each get their own connection
// (BullMQ requires maxRetriesPerRequest: null on blocking worker connections).
//
// Redis is named by REDIS_URL (redis:// or rediss:// for TLS, with password and db). With Redis Sentinel,
// HALLEY_REDIS_SENTINELS lists the sentinels and HALLEY_REDIS_SENTINEL_NAME the master; REDIS_URL then only
// supplies the master's credentials, db and TLS. ioredis asks the sentinels for the current master and
// follows a failover by itself.
import { Redis, type RedisOptions } from 'ioredis';
import { env } from '../env';

export function redisUrl(): string {
  const url = env().REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: `npm start` starts a private redis-server, or point REDIS_URL at one');
  return url;
}

/** What Sentinel mode adds to the connection options (fits both ioredis and BullMQ option types). */
type SentinelOptions = {
  sentinels: Array<{ host: string; port: number }>;
  name: string;
  sentinelPassword?: string;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
  enableTLSForSentinelMode?: boolean;
};

/** Connection options for Sentinel mode, or undefined when HALLEY_REDIS_SENTINELS is not set. */
export function sentinelOptions(): SentinelOptions | undefined {
  const e = env();
  if (!e.HALLEY_REDIS_SENTINELS) return undefined;
  const url = new URL(redisUrl());
  const tls = url.protocol === 'rediss:';
  const db = Number(url.pathname.replace(/^\//, '') || '0');
  return {
    sentinels: e.HALLEY_REDIS_SENTINELS.split(',').map((s) => {
      const [host, port] = s.trim().split(':');
      return { host, port: Number(port) };
    }),
    name: e.HALLEY_REDIS_SENTINEL_NAME,
    ...(e.HALLEY_REDIS_SENTINEL_PASSWORD ? { sentinelPassword: e.HALLEY_REDIS_SENTINEL_PASSWORD } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
  };
}

/** A plain ioredis client (pub/sub, presence, health checks) on REDIS_URL or through the sentinels. */
export function createRedis(opts: RedisOptions): Redis {
  const sentinel = sentinelOptions();
  return sentinel ? new Redis({ ...sentinel, ...opts }) : new Redis(redisUrl(), opts);
}

export function workerConnection() {
  return { ...(sentinelOptions() ?? { url: redisUrl() }), maxRetriesPerRequest: null };
}

export function producerConnection() {
  return { ...(sentinelOptions() ?? { url: redisUrl() }), maxRetriesPerRequest: 3, enableOfflineQueue: false };
}
