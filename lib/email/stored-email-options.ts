import type { JsonObject } from '../profile/mapper';
import { unsealJson } from '../secrets';
import type { EmailOptions } from './report-types';

export type StoredTenant = { id: string; data: unknown; secrets: string | null };

/** EmailOptions of a tenant row, with the sealed SMTPPassword put back (for sending only). */
export function storedEmailOptions(tenant: StoredTenant, withSecret: boolean): EmailOptions {
  const data = (tenant.data ?? {}) as JsonObject;
  const email = { ...((data.Email ?? {}) as EmailOptions) };
  if (withSecret) {
    const secrets = unsealJson<{ Email?: { SMTPPassword?: string } }>(tenant.secrets);
    email.SMTPPassword = secrets?.Email?.SMTPPassword ?? '';
  } else if (email.SMTPPassword !== undefined) {
    email.SMTPPassword = '';
  }
  return email;
}
