// Config-time outbound guard for an LDAP source: its Hostname and every FallbackServers[].Hostname must
// be hosts the guard accepts (lib/net/outbound-guard.ts), unless private targets are allowed. Hosts the
// source already had are not checked again, so a get → set round trip of an unchanged source still saves
// after the switch was turned off (sign-in refuses them anyway, at connect time).
import { BadRequestError } from '../errors';
import { outboundHostRefusal } from '../net/private-targets';
import { apiMessage } from '../i18n/api-messages';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** [where, hostname] of every server an LDAP source names. */
function ldapHosts(source: unknown, where: string): Array<[string, string]> {
  if (!isObject(source) || source.Type !== 'ldap' || !isObject(source.LDAP)) return [];
  const ldap = source.LDAP;
  const out: Array<[string, string]> = [];
  if (typeof ldap.Hostname === 'string') out.push([`${where}.LDAP.Hostname`, ldap.Hostname]);
  if (Array.isArray(ldap.FallbackServers)) {
    ldap.FallbackServers.forEach((s, i) => {
      if (isObject(s) && typeof s.Hostname === 'string') out.push([`${where}.LDAP.FallbackServers[${i}].Hostname`, s.Hostname]);
    });
  }
  return out;
}

export async function checkSourceTargets(source: Json, stored: unknown, where: string): Promise<void> {
  const known = new Set(ldapHosts(stored, '').map(([, h]) => h.trim().toLowerCase()));
  const hosts = ldapHosts(source, where).filter(([, h]) => !known.has(h.trim().toLowerCase()));
  if (hosts.length === 0) return;
  for (const [field, host] of hosts) {
    const why = await outboundHostRefusal(host, 'LDAP server');
    if (why) throw new BadRequestError(apiMessage('fieldRefused', { field, reason: why }));
  }
}
