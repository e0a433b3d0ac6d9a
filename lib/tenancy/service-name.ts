// The name an authenticator app or security-key prompt shows for this server: the admin's
// organization name, or "Halley" for the top-level organization / an unnamed tenant.
import { db } from '../db/client';

export async function serviceNameFor(tenantId: string): Promise<string> {
  const tenant = await db().tenant.findUnique({ where: { id: tenantId }, select: { name: true, isTopLevel: true } });
  const name = tenant && !tenant.isTopLevel ? tenant.name.trim() : '';
  return name || 'Halley';
}
