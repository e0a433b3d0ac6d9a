// The daily push (hourly check, BullMQ job scheduler): once the UTC day is past HALLEY_PSA_DAILY_HOUR_UTC
// (so yesterday's final usage snapshot exists), every integration gets one push keyed by the day; pushes
// still pending (a worker died, Redis lost the job) are queued again (the job id makes that idempotent).
import { db } from '../db/client';
import { env } from '../env';
import { enqueuePsaPush } from './psa-queue';

export async function schedulePsaPushes(now = Date.now()): Promise<{ created: number; queued: number }> {
  const d = new Date(now);
  if (d.getUTCHours() < env().HALLEY_PSA_DAILY_HOUR_UTC) return { created: 0, queued: 0 };
  const pushKey = `day:${d.toISOString().slice(0, 10)}`;
  // tenancy: system — the scheduler covers every organization's integrations (no actor)
  const configs = await db().psaConfig.findMany({ select: { id: true, tenantId: true } });
  // tenancy: system — one daily push per integration, rows carry the integration's own tenant
  const { count } = await db().psaPush.createMany({
    data: configs.map((c) => ({ tenantId: c.tenantId, configId: c.id, trigger: 'schedule', pushKey })),
    skipDuplicates: true,
  });
  // tenancy: system — re-queue any organization's pending pushes of the last two days
  const pending = await db().psaPush.findMany({
    where: { status: 'pending', createdAt: { gt: new Date(now - 2 * 86_400_000) } },
    select: { id: true, tenantId: true },
  });
  for (const p of pending) await enqueuePsaPush(p.tenantId, p.id);
  return { created: count, queued: pending.length };
}
