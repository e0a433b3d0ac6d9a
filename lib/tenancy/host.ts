// Host name -> tenant. A request or a device connection names a host (the Host header: "a.example:8060",
// "[::1]:8060", "A.Example."); an organization's Hosts list names the hosts it is reached on, with or
// without a port. Both sides are compared in one normalised form, so "a.example:8060" and "a.example" are
// the same host: organization/set refuses to give it to two tenants, and every lookup (device lobby, LDAP
// sign-in) finds at most one tenant.
import { db, type Tx } from '../db/client';
import { TOP_LEVEL_TENANT_ID } from './actor';

/** Lower case, no scheme, path or port, no trailing dot, IPv6 without brackets; "" when nothing is left. */
export function normaliseHost(value: string): string {
  let h = value.trim().toLowerCase();
  h = h.replace(/^[a-z][a-z0-9+.-]*:\/\//, ''); // a Hosts entry may be a URL (the default login URL uses it so)
  h = h.replace(/[/?#].*$/, '');
  h = h.replace(/^[^@]*@/, '');
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    h = end === -1 ? h.slice(1) : h.slice(1, end);
  } else if (h.indexOf(':') === h.lastIndexOf(':')) {
    h = h.replace(/:\d*$/, ''); // one colon: host:port (several colons: a bare IPv6 address, kept whole)
  }
  return h.replace(/\.+$/, '');
}

type TenantHosts = { id: string; name: string; hosts: string[] };

/**
 * The tenants (other than `exceptId`) one of whose Hosts is `host` once normalised, oldest first. The SQL only
 * narrows the candidates (the normalised name is a substring of the stored one); the exact test is normaliseHost.
 */
async function tenantsWithHost(host: string, client: Tx, exceptId?: string): Promise<TenantHosts[]> {
  const name = normaliseHost(host);
  if (!name) return [];
  const candidates = await client.$queryRaw<TenantHosts[]>`
    SELECT id, name, hosts FROM "Tenant"
    WHERE id <> ${exceptId ?? ''} AND EXISTS (SELECT 1 FROM unnest(hosts) AS h WHERE strpos(lower(h), ${name}) > 0)
    ORDER BY "createdAt", id`;
  return candidates.filter((t) => t.hosts.some((h) => normaliseHost(h) === name));
}

/** The tenant reached on `host` (a Host header), else the top level. Deterministic even for clashes stored before the check existed. */
export async function tenantIdForHost(host: string): Promise<string> {
  const [tenant] = await tenantsWithHost(host, db());
  return tenant?.id ?? TOP_LEVEL_TENANT_ID;
}

/** The first of `hosts` that another tenant already uses, with that tenant; null when they are all free. */
export async function findHostClash(hosts: string[], exceptTenantId: string | undefined, client: Tx): Promise<{ host: string; tenant: { id: string; name: string } } | null> {
  for (const host of hosts) {
    const [other] = await tenantsWithHost(host, client, exceptTenantId);
    if (other) return { host, tenant: { id: other.id, name: other.name } };
  }
  return null;
}
