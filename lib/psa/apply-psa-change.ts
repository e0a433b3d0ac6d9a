// Writes a prepared PSA list (prepare-psa-change.ts) inside the caller's transaction: rows no longer listed go,
// edited ones keep their id (and so their push history), new ones are created.
import type { Tx } from '../db/client';
import type { PsaChange } from './prepare-psa-change';

export async function applyPsaChange(tx: Tx, change: PsaChange): Promise<void> {
  const where = { tenantId: change.tenantId };
  const keep = change.rows.flatMap((r) => (r.id ? [r.id] : []));
  // tenancy: derived — change.tenantId was resolved by the caller (own organization, or organization/set at the top level)
  await tx.psaConfig.deleteMany({ where: { ...where, id: { notIn: keep } } });
  for (const r of change.rows) {
    // tenancy: derived — as above
    if (r.id) await tx.psaConfig.updateMany({ where: { ...where, id: r.id }, data: r.data });
    // tenancy: derived — as above
    else await tx.psaConfig.create({ data: { ...where, ...r.data } });
  }
}
