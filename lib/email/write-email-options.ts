import type { Tx } from '../db/client';
import { keepStoredSecrets, splitSecrets, type JsonObject } from '../profile/mapper';
import { sealJson, unsealJson } from '../secrets';
import type { EmailOptions } from './report-types';
import type { StoredTenant } from './stored-email-options';

/** Writes Organization.Email of a tenant row (sealing SMTPPassword, keeping the stored one when empty). */
export async function writeEmailOptions(tx: Tx, tenant: StoredTenant, options: EmailOptions): Promise<void> {
  const split = splitSecrets({ Email: options });
  const stored = unsealJson<Record<string, unknown>>(tenant.secrets) ?? {};
  const { Email: storedEmailSecrets, ...otherSecrets } = stored;
  const emailSecrets = keepStoredSecrets(split.secrets, storedEmailSecrets ? { Email: storedEmailSecrets } : null);
  const secrets = { ...otherSecrets, ...(emailSecrets ?? {}) };
  const data = { ...((tenant.data ?? {}) as JsonObject), Email: split.public.Email };
  await tx.tenant.update({
    where: { id: tenant.id },
    data: { data: JSON.parse(JSON.stringify(data)) as object, secrets: Object.keys(secrets).length ? sealJson(secrets) : null },
  });
}
