// LDAP admin sign-in against real OpenLDAP: two slapd instances hold the same directory; the source
// names the first as its server and the second as fallback. With the first stopped, sign-in goes
// through the second; with both stopped it is refused exactly like a wrong password (no reachability
// oracle), with the reason in the LOGIN_FAILED event. The outbound guard: with private targets not
// allowed, a source on 127.0.0.1 is refused on save, and a stored one is never contacted at sign-in
// (answered like a wrong password too, without the reason).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, makeTenant, rootClient, uniq } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { LDAP_ROOT_DN, LDAP_ROOT_PASSWORD, LDAP_SUFFIX, slapdAvailable, startSlapd, type Slapd } from '../helpers/slapd';
import { eventsFor, sql } from '../helpers/security';

const alice = { uid: uniq('ldap-alice'), password: 'alice-Ω-secret' };
const bob = { uid: uniq('ldap-bob'), password: 'bob-secret' };
let primary: Slapd;
let fallback: Slapd;
let guarded: Slapd;
const carol = { uid: uniq('ldap-carol'), password: 'carol-secret' };
const SOURCE_ID = uniq('corp-ldap');
const GUARDED_SOURCE_ID = uniq('guarded-ldap');
let restorePrivateTargets: (() => Promise<void>) | undefined;

function source(bindPassword: string) {
  return {
    Type: 'ldap',
    Description: 'Corporate directory',
    LDAP: {
      Hostname: '127.0.0.1',
      Port: primary.port,
      SecurityMethod: 'plain',
      AcceptInvalidSSL: false,
      FallbackServers: [{ Hostname: '127.0.0.1', Port: fallback.port, SecurityMethod: 'plain', AcceptInvalidSSL: false }],
      BindUser: LDAP_ROOT_DN,
      BindPassword: bindPassword,
      SearchDN: `ou=people,${LDAP_SUFFIX}`,
      SearchFilter: '(&(objectClass=inetOrgPerson)(uid=%s))',
    },
    NewUserPermissions: { AllowEditBranding: true, PreventServerShutdown: true },
  };
}

beforeAll(async () => {
  if (!slapdAvailable()) throw new Error('slapd is not installed: npm test installs it (apt package slapd)');
  // slapd listens on 127.0.0.1, which the outbound guard refuses unless private targets are allowed.
  restorePrivateTargets = await allowPrivateTargets(true);
  primary = await startSlapd('primary', [alice, bob]);
  fallback = await startSlapd('fallback', [alice, bob]);
  guarded = await startSlapd('guarded', [carol]);
});

afterAll(async () => {
  // Leave no source behind: every later unknown-username sign-in would consult it.
  await (await rootClient()).call('/api/v1/admin/external-auth-sources/delete', { SourceID: SOURCE_ID });
  await (await rootClient()).call('/api/v1/admin/external-auth-sources/delete', { SourceID: GUARDED_SOURCE_ID });
  await restorePrivateTargets?.();
  await primary?.stop();
  await fallback?.stop();
  await guarded?.stop();
});

describe('external authentication sources', () => {
  it('stores a source with its bind password sealed and never returns it; empty keeps it', async () => {
    const root = await rootClient();
    const created = await root.ok('/api/v1/admin/external-auth-sources/new', { Source: source(LDAP_ROOT_PASSWORD), SourceID: SOURCE_ID });
    expect(created).toMatchObject({ Status: 200, ID: SOURCE_ID, Source: { Type: 'ldap', LDAP: { BindPassword: '', BindUser: LDAP_ROOT_DN } } });
    const all = await root.ok('/api/v1/admin/external-auth-sources/get');
    expect(all[SOURCE_ID].LDAP.BindPassword).toBe('');
    expect(all[SOURCE_ID].LDAP.FallbackServers).toHaveLength(1);
    expect(JSON.stringify(all)).not.toContain(LDAP_ROOT_PASSWORD);
    const [row] = await sql('SELECT data::text AS data, secrets FROM "ExternalAuthSource" WHERE "sourceId" = $1', [SOURCE_ID]);
    expect(row.data).not.toContain(LDAP_ROOT_PASSWORD);
    expect(row.secrets).toMatch(/^v1:/);
    expect(row.secrets).not.toContain(LDAP_ROOT_PASSWORD);
    // get → set round trip with the blank secret keeps the stored one (sign-in below still binds).
    await root.ok('/api/v1/admin/external-auth-sources/set', { Sources: all });
    const bad = await root.fails('/api/v1/admin/external-auth-sources/new', { Source: { Type: 'ldap', LDAP: { Hostname: '', SearchDN: 'x' } } });
    expect(bad).toMatchObject({ Status: 400, Message: expect.stringMatching(/Hostname/) });
  });

  it('tenant admins need AllowEditExternalAuthSources and never see the server sources', async () => {
    const tenant = await makeTenant('ext');
    const r = await tenant.admin.fails('/api/v1/admin/external-auth-sources/get');
    expect(r.Status).toBe(403);
    expect(r.Message).toMatch(/external-auth/);
  });
});

describe('LDAP sign-in', () => {
  it('creates the admin on first sign-in with NewUserPermissions, using the fallback server when the first is down', async () => {
    await primary.stop();
    const c = client({ username: alice.uid, password: alice.password });
    const props = await c.ok('/api/v1/admin/account/properties');
    expect(props.OrganizationID).toBe('');
    expect(props.Permissions).toEqual({ AllowEditBranding: true, PreventServerShutdown: true });
    const admins = await (await rootClient()).ok('/api/v1/admin/admin-user/list');
    expect(admins.find((a: any) => a.Username === alice.uid)).toMatchObject({ ExternalAuthenticationSource: SOURCE_ID, Password: '' });
    // Later sign-ins go to the directory too: a wrong password is refused like any other.
    expect((await client({ username: alice.uid, password: 'wrong' }).fails('/api/v1/admin/meta/version')).Message).toBe('Incorrect username or password');
    await c.ok('/api/v1/admin/meta/version');
    // The directory password can't be changed through Halley.
    expect((await c.fails('/api/v1/admin/account/set-properties', { Security: { PasswordFormat: 0, Password: 'x' } })).Message).toMatch(/external authentication source/);
  });

  it('refuses names the directory does not know, and a wrong password, without creating anyone', async () => {
    const ghost = uniq('ldap-ghost');
    expect((await client({ username: ghost, password: 'x' }).fails('/api/v1/admin/meta/version')).Message).toBe('Incorrect username or password');
    expect((await client({ username: bob.uid, password: 'not-bobs' }).fails('/api/v1/admin/meta/version')).Message).toBe('Incorrect username or password');
    expect(await sql('SELECT 1 FROM "AdminUser" WHERE username = ANY($1)', [[ghost, bob.uid]])).toHaveLength(0);
  });

  it('with every server down, the sign-in is refused like a wrong password; the event says why', async () => {
    await fallback.stop();
    const r = await client({ username: alice.uid, password: alice.password }).fails('/api/v1/admin/meta/version');
    expect(r).toEqual({ Status: 403, Message: 'Incorrect username or password' });
    const ghost = uniq('ldap-ghost');
    expect(await client({ username: ghost, password: 'x' }).fails('/api/v1/admin/meta/version')).toEqual({ Status: 403, Message: 'Incorrect username or password' });
    const SEVT_ACCOUNT_ADMIN_LOGIN_FAILED = 4154;
    for (const name of [alice.uid, ghost]) {
      const failed = await eventsFor(name, SEVT_ACCOUNT_ADMIN_LOGIN_FAILED);
      expect(failed.at(-1)?.data).toMatchObject({ Username: name, Reason: 'directory unreachable' });
    }
  });
});

describe('the outbound guard on LDAP sources', () => {
  const guardedSource = (hostname: string, fallbacks: string[] = []) => ({
    Type: 'ldap',
    Description: 'Directory on loopback',
    LDAP: {
      Hostname: hostname,
      Port: guarded.port,
      SecurityMethod: 'plain',
      FallbackServers: fallbacks.map((Hostname) => ({ Hostname, Port: guarded.port, SecurityMethod: 'plain' })),
      BindUser: LDAP_ROOT_DN,
      BindPassword: LDAP_ROOT_PASSWORD,
      SearchDN: `ou=people,${LDAP_SUFFIX}`,
      SearchFilter: '(&(objectClass=inetOrgPerson)(uid=%s))',
    },
  });

  it('with private targets not allowed, a loopback Hostname or fallback is refused on save', async () => {
    const root = await rootClient();
    const restore = await allowPrivateTargets(false);
    try {
      for (const host of ['127.0.0.1', 'localhost', '[::ffff:0:127.0.0.1]', '2130706433']) {
        const r = await root.fails('/api/v1/admin/external-auth-sources/new', { Source: guardedSource(host), SourceID: uniq('refused') });
        expect(r.Status, host).toBe(400);
        expect(r.Message, host).toMatch(/Source\.LDAP\.Hostname refused: Refused LDAP server .*(loopback|embeds)/);
      }
      const fb = await root.fails('/api/v1/admin/external-auth-sources/set', { Sources: { x: guardedSource('ldap.example.invalid', ['::1']) } });
      expect(fb).toMatchObject({ Status: 400, Message: expect.stringMatching(/LDAP\.FallbackServers\[0\]\.Hostname refused/) });
      expect(await sql('SELECT 1 FROM "ExternalAuthSource" WHERE data::text LIKE $1', [`%${guarded.port}%`])).toHaveLength(0);
    } finally {
      await restore();
    }
  });

  it('with private targets not allowed, a stored loopback source is not contacted at sign-in, answered like an unreachable directory', async () => {
    const root = await rootClient();
    await root.ok('/api/v1/admin/external-auth-sources/new', { Source: guardedSource('127.0.0.1'), SourceID: GUARDED_SOURCE_ID });
    // Allowed: the directory accepts carol (the admin is created on first sign-in).
    await client({ username: carol.uid, password: carol.password }).ok('/api/v1/admin/meta/version');
    const restore = await allowPrivateTargets(false);
    try {
      // Both of alice's servers are stopped by now (above): that is the "unreachable directory" answer.
      const unreachable = await client({ username: alice.uid, password: alice.password }).fails('/api/v1/admin/meta/version');
      const refused = await client({ username: carol.uid, password: carol.password }).fails('/api/v1/admin/meta/version');
      expect(refused).toEqual(unreachable);
      expect(refused).toEqual({ Status: 403, Message: 'Incorrect username or password' });
      expect(refused.Message).not.toMatch(/127\.0\.0\.1|refused|loopback|private/i);
      // An unknown name is tried against the loopback source too, and gets the same answer.
      const ghost = await client({ username: uniq('ldap-ghost'), password: 'x' }).fails('/api/v1/admin/meta/version');
      expect(ghost).toEqual(unreachable);
    } finally {
      await restore();
    }
    await client({ username: carol.uid, password: carol.password }).ok('/api/v1/admin/meta/version');
  });
});
