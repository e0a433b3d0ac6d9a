// Shared fixtures: the first (top-level) admin and helpers that create uniquely named tenants,
// tenant admins and users, so test files can run in any order against one server.
import { randomBytes } from 'node:crypto';
import { CometClient } from './comet-client';
import { halleyUrl } from './server';

export const ROOT = { username: 'root-admin', password: 'root-password-Ω1' };

export function uniq(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function client(creds: CometClient['creds'] = null, style: 'go' | 'js' = 'go'): CometClient {
  return new CometClient(halleyUrl(), creds, style);
}

let rootReady: Promise<CometClient> | undefined;

/** The top-level admin, created on first use (or found when another file already created it). */
export function rootClient(): Promise<CometClient> {
  rootReady ??= (async () => {
    const anon = client();
    const r = await anon.call('/api/v1/admin/add-first-admin-user', { TargetUser: ROOT.username, TargetPassword: ROOT.password });
    if (r.body?.Status !== 200 && !/already has an administrator/.test(r.body?.Message ?? '')) {
      throw new Error(`could not create the first admin: ${r.text}`);
    }
    return client(ROOT);
  })();
  return rootReady;
}

export type TenantFixture = { id: string; name: string; admin: CometClient; adminName: string };

/** A new tenant with one tenant admin. */
export async function makeTenant(label = 'tenant'): Promise<TenantFixture> {
  const root = await rootClient();
  const name = uniq(label);
  const res = await root.ok('/api/v1/admin/organization/set', { Organization: { Name: name, Hosts: [] } });
  const adminName = uniq(`${label}-admin`);
  const password = `pw-${randomBytes(6).toString('hex')}`;
  await root.ok('/api/v1/admin/admin-user/new', { TargetUser: adminName, TargetPassword: password, TargetOrgID: res.ID });
  return { id: res.ID, name, admin: client({ username: adminName, password }), adminName };
}

/** A new end user in the caller's tenant (or TargetOrganization for top-level callers). */
export async function makeUser(by: CometClient, opts: { targetOrganization?: string; password?: string } = {}): Promise<{ username: string; password: string }> {
  const username = uniq('user');
  const password = opts.password ?? `pw-${randomBytes(6).toString('hex')}`;
  await by.ok('/api/v1/admin/add-user', { TargetUser: username, TargetPassword: password, TargetOrganization: opts.targetOrganization });
  return { username, password };
}
