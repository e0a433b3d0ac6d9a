// The hourly job: a run with its sweep for every organization whose Constellation Role is enabled. Each
// organization's run is independent; one failing (its error is on its report row) does not stop the others.
import { db } from '../db/client';
import { log } from '../log';
import { runConstellation } from './run-constellation';

export async function runScheduledConstellations(): Promise<{ runs: number; failed: number }> {
  // tenancy: system — the worker runs every organization's own Constellation, one at a time
  const enabled = await db().constellationConfig.findMany({ where: { roleEnabled: true }, select: { tenantId: true } });
  let failed = 0;
  for (const { tenantId } of enabled) {
    try {
      await runConstellation({ tenantId, trigger: 'schedule', sweep: true });
    } catch (err) {
      failed++;
      log.warn({ tenantId, err: (err as Error).message }, 'constellation: run failed');
    }
  }
  return { runs: enabled.length, failed };
}
