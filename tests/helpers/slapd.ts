// Throwaway OpenLDAP servers for the LDAP sign-in tests: each instance gets its own slapd.conf, an MDB
// database loaded with slapadd (before start, so no ldap-utils are needed) and a free loopback port.
// slapd runs in the foreground (-d 0) in its own process group, so stop() ends exactly that server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startProcess } from '../../scripts/lib/services.mjs';
import { ownedServer } from './server-process';
import { waitForTcpPort } from './wait';

export const LDAP_SUFFIX = 'dc=halley,dc=test';
export const LDAP_ROOT_DN = `cn=admin,${LDAP_SUFFIX}`;
export const LDAP_ROOT_PASSWORD = 'ldap-root-secret';

export type LdapUser = { uid: string; password: string; cn?: string };

export type Slapd = { name: string; port: number; url: string; stop: () => Promise<void>; running: () => boolean };

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';

export function slapdAvailable(): boolean {
  return fs.existsSync(SLAPD) && fs.existsSync(SLAPADD);
}

function ldif(users: LdapUser[]): string {
  const entries = [
    `dn: ${LDAP_SUFFIX}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: Halley test\ndc: halley`,
    `dn: ou=people,${LDAP_SUFFIX}\nobjectClass: organizationalUnit\nou: people`,
    ...users.map(
      (u) =>
        `dn: uid=${u.uid},ou=people,${LDAP_SUFFIX}\nobjectClass: inetOrgPerson\nuid: ${u.uid}\ncn: ${u.cn ?? u.uid}\nsn: ${u.uid}\nuserPassword: ${u.password}`,
    ),
  ];
  return entries.join('\n\n') + '\n';
}

/** Starts one slapd with the given users under ou=people (uid=<name>). */
export async function startSlapd(name: string, users: LdapUser[]): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `halley-slapd-${name}-`));
  const dbDir = path.join(dir, 'db');
  fs.mkdirSync(dbDir);
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(
    conf,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${path.join(dir, 'slapd.pid')}`,
      `argsfile ${path.join(dir, 'slapd.args')}`,
      'database mdb',
      'maxsize 16777216',
      `suffix "${LDAP_SUFFIX}"`,
      `rootdn "${LDAP_ROOT_DN}"`,
      `rootpw ${LDAP_ROOT_PASSWORD}`,
      `directory ${dbDir}`,
      'access to attrs=userPassword by anonymous auth by * none',
      'access to * by * read',
      '',
    ].join('\n'),
  );
  const ldifFile = path.join(dir, 'data.ldif');
  fs.writeFileSync(ldifFile, ldif(users));
  execFileSync(SLAPADD, ['-f', conf, '-l', ldifFile], { stdio: 'pipe' });
  const port = await freePort();
  const proc = startProcess(SLAPD, ['-f', conf, '-h', `ldap://127.0.0.1:${port}/`, '-d', '0'], { name: `slapd-${name}`, echo: false });
  const stop = await ownedServer(proc, dir, () => waitForTcpPort(port, proc, 'slapd'));
  let stopped = false;
  return {
    name,
    port,
    url: `ldap://127.0.0.1:${port}`,
    running: () => !stopped && !proc.exitInfo,
    stop: async () => {
      stopped = true;
      await stop();
    },
  };
}
