// The fuzz suite's fixtures, seeded through the API of its own Halley: a top-level admin that only
// seeds and repairs (never fuzzed, so nothing the fuzz does can lock it out), a top-level admin that is
// fuzzed, two tenants (A: an admin holding every Allow* permission, an admin holding none, users with
// profiles, a policy; B: an admin and a user), and a victim tenant C. Fuzzed actors call with session keys
// (a password check costs ~100 ms of scrypt). A fuzzed call may legitimately break its own actor (revoke
// its session, switch off its password sign-in, delete its tenant): `heal` replaces what broke.
import { randomBytes } from 'node:crypto';
import { CometClient, type Creds } from '../helpers/comet-client';
import { sampleProfile } from '../helpers/sample-profile';
import type { Pool } from './arbitraries';

export type ActorName = 'none' | 'top' | 'tenant-full' | 'tenant-limited' | 'user';

export const ALL_ALLOW = {
  AllowEditBranding: true,
  AllowEditEmailOptions: true,
  AllowEditRemoteStorage: true,
  AllowEditWebhooks: true,
  AllowEditExternalAuthSources: true,
};

const FUZZ_HOOK = 'fuzz-hook';
const uniq = (p: string) => `${p}-${randomBytes(4).toString('hex')}`;
const password = () => `pw-${randomBytes(8).toString('hex')}`;

type TenantWorld = { id: string; adminFull: Creds; adminLimited: Creds; user: Creds; users: string[]; policies: string[] };

export class World {
  readonly seeder: CometClient;
  top!: Creds;
  a!: TenantWorld;
  b!: { id: string; admin: Creds; users: string[] };
  victim!: { id: string; users: string[] };

  constructor(readonly baseUrl: string) {
    this.seeder = new CometClient(baseUrl, { username: uniq('seed-root'), password: password() });
  }

  async create(): Promise<void> {
    const anon = new CometClient(this.baseUrl, null);
    const r = await anon.call('/api/v1/admin/add-first-admin-user', { TargetUser: this.seeder.creds!.username, TargetPassword: this.seeder.creds!.password });
    if (r.body?.Status !== 200) throw new Error(`add-first-admin-user: ${r.text}`);
    this.top = await this.newTopAdmin();
    this.a = await this.newTenantA();
    const bId = await this.newTenant('fuzz-b');
    const bAdmin = await this.newAdmin(bId, ALL_ALLOW);
    this.b = { id: bId, admin: bAdmin, users: [await this.newUser(bId, true)] };
    const cId = await this.newTenant('fuzz-victim');
    this.victim = { id: cId, users: [await this.newUser(cId, false)] };
  }

  private async newTenant(label: string): Promise<string> {
    const res = await this.seeder.ok('/api/v1/admin/organization/set', { Organization: { Name: uniq(label), Hosts: [] } });
    return res.ID as string;
  }

  private async newAdmin(tenantId: string | undefined, permissions: Record<string, unknown>): Promise<Creds> {
    const creds = { username: uniq('fuzz-admin'), password: password() };
    await this.seeder.ok('/api/v1/admin/admin-user/new', { TargetUser: creds.username, TargetPassword: creds.password, TargetOrgID: tenantId });
    if (Object.keys(permissions).length) await this.seeder.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: creds.username, Permissions: permissions });
    return this.withSession(creds, 'admin');
  }

  private async newTopAdmin(): Promise<Creds> {
    return this.newAdmin(undefined, {});
  }

  private async newUser(tenantId: string, withProfile: boolean): Promise<string> {
    const username = uniq('fuzz-user');
    const params = { TargetUser: username, TargetOrganization: tenantId };
    if (withProfile) await this.seeder.ok('/api/v1/admin/add-user-from-profile', { ...params, ProfileData: sampleProfile(username) });
    else await this.seeder.ok('/api/v1/admin/add-user', { ...params, TargetPassword: password() });
    return username;
  }

  private async newTenantA(): Promise<TenantWorld> {
    const id = await this.newTenant('fuzz-a');
    const adminFull = await this.newAdmin(id, ALL_ALLOW);
    const adminLimited = await this.newAdmin(id, {});
    const users = [await this.newUser(id, true), await this.newUser(id, true)];
    const userCreds = { username: uniq('fuzz-enduser'), password: password() };
    await this.seeder.ok('/api/v1/admin/add-user', { TargetUser: userCreds.username, TargetPassword: userCreds.password, TargetOrganization: id });
    const policyAdmin = new CometClient(this.baseUrl, adminFull);
    const policy = await policyAdmin.ok('/api/v1/admin/policies/new', { Policy: { Description: 'fuzz policy', Policy: {} } });
    // A webhook to a closed loopback port (the fuzz server runs with HALLEY_ALLOW_PRIVATE_TARGETS), so
    // webhook-options/test, get-secret and the delivery log have something to act on.
    await policyAdmin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { [FUZZ_HOOK]: { URL: 'http://127.0.0.1:9/fuzz', Level: 'full', WhiteListedEventTypes: [] } } });
    return { id, adminFull, adminLimited, user: await this.withSession(userCreds, 'user'), users: [...users, userCreds.username], policies: [policy.PolicyID].filter(Boolean) };
  }

  /** Signs in once with the password and keeps only the session key. */
  private async withSession(creds: Creds, kind: 'admin' | 'user'): Promise<Creds> {
    const c = new CometClient(this.baseUrl, creds);
    const res = await c.ok(kind === 'admin' ? '/api/v1/admin/account/session-start' : '/api/v1/user/web/session/start');
    if (!res.SessionKey) throw new Error(`no SessionKey from ${kind} session start`);
    return { username: creds.username, sessionKey: res.SessionKey };
  }

  creds(actor: ActorName): Creds | null {
    switch (actor) {
      case 'none':
        return null;
      case 'top':
        return this.top;
      case 'tenant-full':
        return this.a.adminFull;
      case 'tenant-limited':
        return this.a.adminLimited;
      case 'user':
        return this.a.user;
    }
  }

  private async works(creds: Creds, kind: 'admin' | 'user'): Promise<boolean> {
    const c = new CometClient(this.baseUrl, creds);
    const r = await c.call(kind === 'admin' ? '/api/v1/admin/account/properties' : '/api/v1/user/web/get-user-profile-and-hash');
    return r.http === 200 && !(typeof r.body?.Status === 'number' && r.body.Status >= 400);
  }

  /** Replaces every fuzzed actor a previous call broke; returns what was replaced (for the log). */
  async heal(): Promise<string[]> {
    const healed: string[] = [];
    if (!(await this.works(this.top, 'admin'))) {
      this.top = await this.newTopAdmin();
      healed.push('top');
    }
    const aOk = (await this.works(this.a.adminFull, 'admin')) && (await this.works(this.a.adminLimited, 'admin')) && (await this.works(this.a.user, 'user'));
    if (!aOk) {
      this.a = await this.newTenantA();
      healed.push('tenant A');
    }
    return healed;
  }

  pool(): Pool {
    return {
      users: [...this.a.users, ...this.b.users, ...this.victim.users],
      tenants: [this.a.id, this.b.id, this.victim.id],
      policies: this.a.policies,
      devices: [],
      jobs: [],
      webhooks: [FUZZ_HOOK],
      admins: [this.a.adminFull.username, this.a.adminLimited.username, this.b.admin.username],
    };
  }
}
