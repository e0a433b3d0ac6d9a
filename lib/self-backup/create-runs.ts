// SelfBackupRun rows for targets about to run: each row carries its target sealed, so the job payload holds
// only the row id and a later change of the configuration does not change a queued run.
import type { Tx } from '../db/client';
import { sealJson } from '../secrets';
import { openLocation } from './locations/open-location';
import type { SelfBackupTarget } from './stored-options';

export async function createRun(tx: Tx, opts: { kind: 'target' | 'export'; trigger: 'manual' | 'schedule'; target: SelfBackupTarget; id?: string }): Promise<string> {
  const t = opts.target;
  const row = await tx.selfBackupRun.create({
    data: {
      ...(opts.id ? { id: opts.id } : {}),
      kind: opts.kind,
      trigger: opts.trigger,
      targetIndex: Number(t.Index ?? 0),
      restrictToOrgId: String(t.RestrictToSingleOrgID ?? ''),
      excludeJobs: t.ExcludeJobsDB === true,
      compression: Number(t.Compression ?? 4),
      location: t.Location ? openLocation(t.Location).describe() : '',
      sealedTarget: sealJson(t),
    },
    select: { id: true },
  });
  return row.id;
}
