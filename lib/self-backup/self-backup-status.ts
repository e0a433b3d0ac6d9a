// meta/version's SelfBackup[]: one SelfBackupStatistics per configured target, in target order, from the
// run history (a run in progress gives CurrentRunStart; the newest finished one the LastRun* fields).
import { db } from '../db/client';
import { staleAfterMs } from './run-self-backup';
import { readSelfBackupOptions } from './stored-options';

const secs = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : 0);

export async function selfBackupStatistics(): Promise<Array<Record<string, number | boolean>>> {
  const { Targets } = await readSelfBackupOptions();
  const out: Array<Record<string, number | boolean>> = [];
  for (const t of Targets) {
    const index = Number(t.Index ?? 0);
    const [current, last] = await Promise.all([
      db().selfBackupRun.findFirst({
        where: { kind: 'target', targetIndex: index, status: 'running', heartbeatAt: { gte: new Date(Date.now() - staleAfterMs()) } },
        orderBy: { startedAt: 'desc' },
        select: { startedAt: true },
      }),
      db().selfBackupRun.findFirst({
        where: { kind: 'target', targetIndex: index, status: { in: ['success', 'failed'] } },
        orderBy: { startedAt: 'desc' },
        select: { startedAt: true, endedAt: true, status: true, sizeBytes: true },
      }),
    ]);
    out.push({
      CurrentRunStart: secs(current?.startedAt),
      LastRunStart: secs(last?.startedAt),
      LastRunEnd: secs(last?.endedAt),
      LastRunSuccess: last?.status === 'success',
      LastRunSize: Number(last?.sizeBytes ?? 0n),
    });
  }
  return out;
}
