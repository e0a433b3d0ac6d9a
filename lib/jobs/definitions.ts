// Background job registry: each job type is { name, zod payload schema, handler }. Payloads carry
// ids, never secrets; handlers are idempotent so a retried or duplicated job is harmless.
import { z } from 'zod';
import { reportExpiredSessions } from '../auth/session-expiry';
import { db } from '../db/client';
import { log } from '../log';

export type JobDefinition<S extends z.ZodType> = {
  name: string;
  queue: string;
  schema: S;
  handler: (payload: z.infer<S>) => Promise<unknown>;
  /** Recurring jobs: a stable scheduler id and interval; upserted at worker start. */
  every?: { schedulerId: string; ms: number };
};

function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

export const MAINTENANCE_QUEUE = 'halley-maintenance';

/** Removes sessions that expired or were revoked more than a day ago. */
export const purgeSessions = defineJob({
  name: 'purge-sessions',
  queue: MAINTENANCE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'maintenance:purge-sessions', ms: 15 * 60 * 1000 },
  handler: async () => {
    const cutoff = new Date(Date.now() - 24 * 3600 * 1000);
    const { count } = await db().session.deleteMany({ where: { OR: [{ expiresAt: { lt: cutoff } }, { revokedAt: { lt: cutoff } }] } });
    if (count) log.info({ count }, 'purged old sessions');
    return { purged: count };
  },
});

export const expireSessions = defineJob({
  name: 'expire-sessions',
  queue: MAINTENANCE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'maintenance:expire-sessions', ms: 60 * 1000 },
  handler: async () => ({ reported: await reportExpiredSessions() }),
});

export const jobDefinitions: ReadonlyArray<JobDefinition<z.ZodType>> = [purgeSessions, expireSessions] as unknown as ReadonlyArray<JobDefinition<z.ZodType>>;
