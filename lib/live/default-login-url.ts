import { db } from '../db/client';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';

/**
 * The address a tenant's devices should use: its first host name, or the address this request came to.
 * `tenantId` is one the caller already resolved within its scope (targetTenant, or the user's own tenant).
 */
export async function defaultLoginUrl(tenantId: string, requestHost: string | undefined): Promise<string> {
  const tenant = tenantId === TOP_LEVEL_TENANT_ID ? null : await db().tenant.findUnique({ where: { id: tenantId }, select: { hosts: true } });
  const host = tenant?.hosts[0];
  if (host) return host.includes('://') ? host : `https://${host}/`;
  return requestHost ? `http://${requestHost}/` : '';
}
