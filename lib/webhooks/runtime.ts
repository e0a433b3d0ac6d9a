// What the workers process runs for webhooks besides the delivery jobs: the dispatcher loop (outbox ->
// delivery rows -> jobs) and the rescue sweep. Both are timers in the process rather than BullMQ
// schedulers on purpose: they must keep working while Redis is down or after it lost its data.
import { env } from '../env';
import { log } from '../log';
import { dispatchAll, logDispatchError } from './dispatch';
import { rescueOverdueDeliveries } from './rescue';

export function startWebhookRuntime(): () => Promise<void> {
  const config = env();
  let stopped = false;
  const inFlight = new Set<Promise<unknown>>();

  const loop = (name: string, everyMs: number, fn: () => Promise<unknown>) => {
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      if (stopped) return;
      const work = fn().catch((err) => (name === 'dispatch' ? logDispatchError(err) : log.warn({ err: (err as Error).message }, `webhook ${name} failed`)));
      inFlight.add(work);
      await work;
      inFlight.delete(work);
      if (!stopped) timer = setTimeout(() => void tick(), everyMs);
    };
    timer = setTimeout(() => void tick(), 0);
    return () => clearTimeout(timer);
  };

  const stops = [
    loop('dispatch', config.HALLEY_WEBHOOK_DISPATCH_MS, dispatchAll),
    loop('rescue', Math.max(500, Math.min(30_000, Math.floor(config.HALLEY_WEBHOOK_RESCUE_AFTER_MS / 2))), rescueOverdueDeliveries),
  ];
  return async () => {
    stopped = true;
    for (const s of stops) s();
    await Promise.all(inFlight);
  };
}
