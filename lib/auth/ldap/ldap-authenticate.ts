// LDAP / Active Directory sign-in (search, then bind as the entry found). The servers of one source —
// Hostname/Port first, then FallbackServers in order — are tried until one answers; an answer (right or
// wrong password, user not found) is final, only an unreachable server moves on to the next one.
//
// Every server goes through the outbound guard (lib/net): its host is resolved once, every address
// checked (loopback/private/reserved refused unless private targets are allowed), and the client
// connects to the checked address with the configured host name as TLS servername. A refused server
// counts as unreachable: the reason goes to the server log only, so a sign-in can't probe the network.
import { isIP } from 'node:net';
import { Client, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import { log } from '../../log';
import { canonicalHost, isTargetRefused, resolveTarget } from '../../net/outbound-guard';
import { withPrivateTargets } from '../../net/private-targets';

type LdapServer = { Hostname: string; Port: number; SecurityMethod: string; AcceptInvalidSSL: boolean };
export type LdapSettings = LdapServer & {
  FallbackServers?: LdapServer[] | null;
  BindUser: string;
  BindPassword: string;
  SearchDN: string;
  SearchFilter: string;
};

type LdapOutcome =
  | { result: 'accepted'; dn: string; server: string }
  | { result: 'rejected'; reason: string; server: string }
  | { result: 'unreachable'; tried: string[] };

const CONNECT_TIMEOUT_MS = 5_000;
const OPERATION_TIMEOUT_MS = 10_000;

/** ldap(s)://host:port of a server, for `address` (the checked IP) or its configured name (for logs). */
function serverUrl(s: LdapServer, address = s.Hostname): string {
  const secure = s.SecurityMethod === 'ldaps';
  const port = s.Port > 0 ? s.Port : secure ? 636 : 389;
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return `${secure ? 'ldaps' : 'ldap'}://${host}:${port}`;
}

/** RFC 4515 escaping of a value inside a filter. */
function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * The search filter for a username. The tokens `%s`, `{{username}}` and `{username}` are replaced by
 * the escaped name; a filter without one is combined with (|(uid=…)(sAMAccountName=…)).
 */
function userFilter(template: string, username: string): string {
  const escaped = escapeFilterValue(username);
  const t = template.trim();
  if (/%s|\{\{username\}\}|\{username\}/.test(t)) return t.replace(/%s|\{\{username\}\}|\{username\}/g, () => escaped);
  const byName = `(|(uid=${escaped})(sAMAccountName=${escaped}))`;
  if (t === '') return byName;
  const wrapped = t.startsWith('(') ? t : `(${t})`;
  return `(&${wrapped}${byName})`;
}

async function tryServer(server: LdapServer, settings: LdapSettings, username: string, password: string, allowPrivate: boolean): Promise<LdapOutcome> {
  const url = serverUrl(server);
  // Resolved once and checked; the client connects to that very address (no second DNS lookup).
  const [target] = await resolveTarget(server.Hostname, allowPrivate, 'LDAP server', CONNECT_TIMEOUT_MS);
  const name = canonicalHost(server.Hostname);
  const tlsOptions = { rejectUnauthorized: !server.AcceptInvalidSSL, ...(isIP(name) ? {} : { servername: name }) };
  // ldapts speaks TLS from the first byte whenever tlsOptions are given: only for ldaps://.
  const client = new Client({
    url: serverUrl(server, target.address),
    connectTimeout: CONNECT_TIMEOUT_MS,
    timeout: OPERATION_TIMEOUT_MS,
    strictDN: false,
    ...(server.SecurityMethod === 'ldaps' ? { tlsOptions } : {}),
  });
  try {
    if (server.SecurityMethod === 'starttls') await client.startTLS(tlsOptions);
    if (settings.BindUser) await client.bind(settings.BindUser, settings.BindPassword);
    const { searchEntries } = await client.search(settings.SearchDN, {
      scope: 'sub',
      filter: userFilter(settings.SearchFilter, username),
      attributes: ['dn'],
      sizeLimit: 2,
    });
    if (searchEntries.length === 0) return { result: 'rejected', reason: 'user not found', server: url };
    if (searchEntries.length > 1) return { result: 'rejected', reason: 'username matches more than one entry', server: url };
    try {
      await client.bind(searchEntries[0].dn, password);
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return { result: 'rejected', reason: 'wrong password', server: url };
      throw err;
    }
    return { result: 'accepted', dn: searchEntries[0].dn, server: url };
  } finally {
    await client.unbind().catch(() => {});
  }
}

export async function ldapAuthenticate(settings: LdapSettings, username: string, password: string): Promise<LdapOutcome> {
  // An empty password would be an LDAP "unauthenticated bind", which servers answer with success.
  if (password === '') return { result: 'rejected', reason: 'empty password', server: '' };
  const servers = [settings, ...(settings.FallbackServers ?? [])].filter((s) => s.Hostname);
  const tried: string[] = [];
  for (const server of servers) {
    const url = serverUrl(server);
    tried.push(url);
    try {
      return await withPrivateTargets((allowPrivate) => tryServer(server, settings, username, password, allowPrivate));
    } catch (err) {
      if (isTargetRefused(err)) {
        log.warn({ server: url, err: (err as Error).message }, 'LDAP server refused by the outbound guard, trying the next one');
        continue;
      }
      if (err instanceof ResultCodeError) {
        // The server answered (e.g. the bind user's password is wrong): final, and a configuration problem.
        log.warn({ server: url, code: err.code, err: err.message }, 'LDAP server refused the sign-in lookup');
        return { result: 'rejected', reason: `LDAP error ${err.code}`, server: url };
      }
      log.warn({ server: url, err: (err as Error).message }, 'LDAP server unreachable, trying the next one');
    }
  }
  return { result: 'unreachable', tried };
}
