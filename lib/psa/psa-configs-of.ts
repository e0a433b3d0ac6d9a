// The PSA lists of some organizations as Comet's Organization.PSAConfigs / ServerConfigOptions.PSAConfigs: the
// same PsaConfig rows admin/meta/psa-config-list/get answers (one source of truth), in order, secrets blank.
import { db, type Tx } from '../db/client';
import type { TPsaConfigWire } from './psa-config';
import { psaConfigToWire } from './psa-wire';

export async function psaConfigsOf(tenantIds: readonly string[], client: Pick<Tx, 'psaConfig'> = db()): Promise<Map<string, TPsaConfigWire[]>> {
  const out = new Map(tenantIds.map((id) => [id, [] as TPsaConfigWire[]]));
  if (!tenantIds.length) return out;
  // tenancy: derived — the ids are organizations the caller already reached (organization/list|set, server-config/get: top level)
  const rows = await client.psaConfig.findMany({ where: { tenantId: { in: [...tenantIds] } }, orderBy: [{ tenantId: 'asc' }, { position: 'asc' }] });
  for (const r of rows) out.get(r.tenantId)?.push(psaConfigToWire(r));
  return out;
}
