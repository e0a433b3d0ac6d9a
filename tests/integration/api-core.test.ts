// Core transport behaviour over real HTTP: first admin, sessions, errors in Comet's shape.
import { describe, expect, it } from 'vitest';
import { client, rootClient, ROOT, makeTenant, makeUser } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';

describe('first admin and meta', () => {
  it('creates the first admin once; a second attempt is refused', async () => {
    const root = await rootClient();
    const again = await client().fails('/api/v1/admin/add-first-admin-user', { TargetUser: 'someone-else', TargetPassword: 'x' });
    expect(again.Status).toBe(403);
    expect(again.Message).toMatch(/already has an administrator/);
    const props = await root.ok('/api/v1/admin/account/properties');
    expect(props.OrganizationID).toBe('');
    expect(props.Security.Password).toBe('');
    expect(JSON.stringify(props)).not.toMatch(/scrypt/);
  });

  it('answers meta/version with the Comet shape', async () => {
    const root = await rootClient();
    const v = await root.ok('/api/v1/admin/meta/version');
    expect(v.Version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(v.VersionCodename).toMatch(/Halley/);
    expect(typeof v.ServerStartTime).toBe('number');
    expect(Array.isArray(v.SelfBackup)).toBe(true);
  });

  it('serves an OpenAPI document generated from the registry', async () => {
    const res = await fetch(new URL('/api/v1/openapi.json', halleyUrl()), { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    // Large answers are compressed for clients that accept it.
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/admin/add-user'].post.operationId).toBe('AdminAddUser');
    expect(doc.components.schemas.UserProfileConfig.properties.Destinations).toBeTruthy();
  });
});

describe('authentication', () => {
  it('rejects wrong, missing and unknown credentials identically', async () => {
    await rootClient();
    const wrong = await client({ username: ROOT.username, password: 'nope' }).fails('/api/v1/admin/list-users');
    const unknown = await client({ username: 'no-such-admin', password: 'nope' }).fails('/api/v1/admin/list-users');
    const none = await client().fails('/api/v1/admin/list-users');
    expect(wrong).toEqual(unknown);
    expect(none.Status).toBe(403);
    expect(wrong.Status).toBe(403);
  });

  it('starts, uses and revokes an admin session key', async () => {
    await rootClient();
    const start = await client(ROOT).ok('/api/v1/admin/account/session-start', { SelfAddress: halleyUrl() });
    expect(start).toMatchObject({ Status: 200, SessionType: 'admin' });
    expect(start.SessionKey).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const bySession = client({ username: ROOT.username, sessionKey: start.SessionKey });
    expect(await bySession.ok('/api/v1/admin/list-users')).toBeInstanceOf(Array);
    // A session key belongs to its admin: another username with it is refused.
    expect((await client({ username: 'other', sessionKey: start.SessionKey }).fails('/api/v1/admin/list-users')).Status).toBe(403);
    await bySession.ok('/api/v1/admin/account/session-revoke');
    expect((await bySession.fails('/api/v1/admin/list-users')).Status).toBe(403);
    // Revoking needs a session: a password call has none.
    expect((await client(ROOT).fails('/api/v1/admin/account/session-revoke')).Status).toBe(400);
  });

  it('hybrid session start works for admins and end users', async () => {
    const root = await rootClient();
    const admin = await client(ROOT).ok('/api/v1/hybrid/session/start');
    expect(admin.SessionType).toBe('admin');
    const user = await makeUser(root);
    const asUser = await client({ username: user.username, password: user.password }).ok('/api/v1/hybrid/session/start');
    expect(asUser.SessionType).toBe('user');
    // An end-user session is not an admin session.
    expect((await client({ username: user.username, sessionKey: asUser.SessionKey }).fails('/api/v1/admin/list-users')).Status).toBe(403);
  });

  it('hybrid session start lets the password decide when an admin and a user share a name', async () => {
    const root = await rootClient();
    const name = `dual-${Date.now()}`;
    await root.ok('/api/v1/admin/admin-user/new', { TargetUser: name, TargetPassword: 'admin-side-pw' });
    await root.ok('/api/v1/admin/add-user', { TargetUser: name, TargetPassword: 'user-side-pw' });
    expect((await client({ username: name, password: 'admin-side-pw' }).ok('/api/v1/hybrid/session/start')).SessionType).toBe('admin');
    expect((await client({ username: name, password: 'user-side-pw' }).ok('/api/v1/hybrid/session/start')).SessionType).toBe('user');
    expect((await client({ username: name, password: 'neither' }).fails('/api/v1/hybrid/session/start')).Status).toBe(403);
  });

  it('accepts the JS/PHP SDK encoding (booleans as 1/0) as well as Go', async () => {
    const tenant = await makeTenant('enc');
    const js = client(tenant.admin.creds, 'js');
    const user = await makeUser(js);
    await js.ok('/api/v1/admin/delete-user', { TargetUser: user.username, UninstallConfig: { UninstallFlag: true, RemoveConfigFile: false } });
  });
});

describe('bad input never yields a 500 or a partial write', () => {
  it('GET, unknown paths and wrong content types get Comet errors', async () => {
    const base = halleyUrl();
    for (const [path, init, status] of [
      ['/api/v1/admin/list-users', { method: 'GET' }, 405],
      ['/api/v1/admin/does-not-exist', { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 404],
      ['/api/v1/admin/list-users', { method: 'POST', body: '{"Username":"x"}', headers: { 'content-type': 'application/json' } }, 400],
    ] as const) {
      const res = await fetch(new URL(path, base), init as RequestInit);
      expect(res.status).toBe(status === 404 ? 404 : 200); // an unknown path is an HTTP 404 too, as in Comet
      const body = await res.json();
      expect(body.Status).toBe(status);
      expect(body.Message).toBeTruthy();
    }
  });

  it('missing, extra, repeated and malformed parameters are refused with a clear message', async () => {
    const root = await rootClient();
    expect((await root.fails('/api/v1/admin/add-user', { TargetUser: 'only-name' })).Message).toMatch(/Missing required parameter 'TargetPassword'/);
    expect((await root.fails('/api/v1/admin/add-user', { TargetUser: 'x1', TargetPassword: 'p', Surprise: '1' })).Message).toMatch(/Unknown parameter 'Surprise'/);
    expect((await root.fails('/api/v1/admin/add-user', { TargetUser: 'x2', TargetPassword: 'p', StoreRecoveryCode: 'one' })).Message).toMatch(/StoreRecoveryCode' must be an integer/);
    expect((await root.fails('/api/v1/admin/add-user', { TargetUser: 'bad name!', TargetPassword: 'p' })).Message).toMatch(/invalid/);
    expect((await root.fails('/api/v1/admin/add-user', { TargetUser: 'x'.repeat(256), TargetPassword: 'p' })).Message).toMatch(/invalid/);
    expect((await root.fails('/api/v1/admin/add-user-from-profile', { TargetUser: 'x3', ProfileData: '{"Username": ' })).Message).toMatch(/must be JSON/);
    expect((await root.fails('/api/v1/admin/add-user-from-profile', { TargetUser: 'x4', ProfileData: '[1,2]' })).Status).toBe(400);
    const typed = await root.fails('/api/v1/admin/add-user-from-profile', { TargetUser: 'x5', ProfileData: { Devices: { d1: { FriendlyName: 42 } } } });
    expect(typed.Message).toMatch(/ProfileData\.Devices.*FriendlyName/);
    const repeated = await root.raw('/api/v1/admin/list-users', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Username=${ROOT.username}&AuthType=Password&Password=${encodeURIComponent(ROOT.password)}&Password=again`,
    });
    expect(repeated.body.Status).toBe(400);
    // None of the refused calls created anything.
    const users: string[] = await root.ok('/api/v1/admin/list-users');
    for (const name of ['only-name', 'x1', 'x2', 'x3', 'x4', 'x5']) expect(users).not.toContain(name);
  });

  it('refuses oversize bodies', async () => {
    const res = await fetch(new URL('/api/v1/admin/list-users', halleyUrl()), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Username=a&Password=${'x'.repeat(17 * 1024 * 1024)}`,
    });
    const body = await res.json();
    expect(body.Status).toBe(413);
  });
});
