// Admin sign-in through an ExternalAuthenticationSource (LDAP). An admin whose
// ExternalAuthenticationSource names a source of its tenant is checked against that directory instead
// of a local password. An unknown username is tried against the LDAP sources of the organization the
// request is addressed to (a tenant whose Hosts contain the request's host name, else the top-level
// organization), in the order they were added; the first that accepts it gets an administrator created
// with its NewUserPermissions, as Comet does.
import { StreamableEventType as SEVT } from '../../comet/constants';
import { db, isUniqueViolation } from '../../db/client';
import { emitEvent } from '../../events/emit';
import { sourceWithSecrets } from '../../external-auth/source-codec';
import { log } from '../../log';
import { tenantIdForHost } from '../../tenancy/host';
import { validateUsername } from '../../users/validate-username';
import { ldapAuthenticate, type LdapSettings } from './ldap-authenticate';

export type ExternalResult = 'accepted' | 'rejected' | 'unreachable';

function ldapSettings(source: Record<string, unknown>): LdapSettings | null {
  if (source.Type !== 'ldap' || typeof source.LDAP !== 'object' || source.LDAP === null) return null;
  const l = source.LDAP as Record<string, unknown>;
  return {
    Hostname: String(l.Hostname ?? ''),
    Port: Number(l.Port ?? 0),
    SecurityMethod: String(l.SecurityMethod ?? 'plain'),
    AcceptInvalidSSL: l.AcceptInvalidSSL === true,
    FallbackServers: Array.isArray(l.FallbackServers) ? (l.FallbackServers as LdapSettings['FallbackServers']) : [],
    BindUser: String(l.BindUser ?? ''),
    BindPassword: String(l.BindPassword ?? ''),
    SearchDN: String(l.SearchDN ?? ''),
    SearchFilter: String(l.SearchFilter ?? ''),
  };
}

async function check(source: { sourceId: string; data: unknown; secrets: string | null }, username: string, password: string): Promise<ExternalResult> {
  const settings = ldapSettings(sourceWithSecrets(source.data, source.secrets));
  if (!settings) return 'rejected';
  const outcome = await ldapAuthenticate(settings, username, password);
  if (outcome.result === 'unreachable') log.warn({ source: source.sourceId, tried: outcome.tried }, 'no LDAP server of the source could be reached');
  return outcome.result;
}

/** Password check for an admin bound to an external source. */
export async function checkExternalPassword(admin: { tenantId: string; externalAuthSource: string; username: string }, password: string): Promise<ExternalResult> {
  // tenancy: system — sign-in: the admin's own tenant, or the tenant the request's host names (tenantIdForHost); usernames are unique
  const source = await db().externalAuthSource.findUnique({
    where: { tenantId_sourceId: { tenantId: admin.tenantId, sourceId: admin.externalAuthSource } },
    select: { sourceId: true, data: true, secrets: true },
  });
  if (!source) return 'rejected';
  return check(source, admin.username, password);
}

/**
 * Tries an unknown username against the LDAP sources; returns the new admin's id when one accepts,
 * 'unreachable' when none answered, null otherwise (also when no source is configured).
 */
export async function provisionAdminFromLdap(opts: { username: string; password: string; host: string }): Promise<{ adminId: string } | 'unreachable' | null> {
  const tenantId = await tenantIdForHost(opts.host);
  // tenancy: system — sign-in: the admin's own tenant, or the tenant the request's host names (tenantIdForHost); usernames are unique
  const sources = await db().externalAuthSource.findMany({
    where: { tenantId, type: 'ldap' },
    select: { sourceId: true, data: true, secrets: true },
    orderBy: { createdAt: 'asc' },
  });
  if (sources.length === 0) return null;
  try {
    validateUsername(opts.username, 'Username');
  } catch {
    return null;
  }
  let anyAnswered = false;
  for (const source of sources) {
    const result = await check(source, opts.username, opts.password);
    if (result === 'unreachable') continue;
    anyAnswered = true;
    if (result !== 'accepted') continue;
    const permissions = ((source.data as Record<string, unknown>).NewUserPermissions ?? {}) as object;
    try {
      const admin = await db().$transaction(async (tx) => {
        const created = await tx.adminUser.create({
          data: { username: opts.username, passwordHash: '', tenantId, permissions, externalAuthSource: source.sourceId },
          select: { id: true },
        });
        await emitEvent(tx, { kind: 'anonymous' }, {
          tenantId,
          type: SEVT.SEVT_ACCOUNT_ADMIN_NEW,
          resourceId: opts.username,
          data: { Username: opts.username, ExternalAuthenticationSource: source.sourceId },
        });
        return created;
      });
      return { adminId: admin.id };
    } catch (err) {
      // Two first sign-ins at once: the other one created it.
      if (!isUniqueViolation(err)) throw err;
      // tenancy: system — sign-in: the admin's own tenant, or the tenant the request's host names (tenantIdForHost); usernames are unique
      const existing = await db().adminUser.findUnique({ where: { username: opts.username }, select: { id: true, externalAuthSource: true } });
      return existing && existing.externalAuthSource === source.sourceId ? { adminId: existing.id } : null;
    }
  }
  return anyAnswered ? null : 'unreachable';
}
