// Permission gates, generated from the registry: every endpoint that declares a `permission` is called by an
// admin lacking exactly that permission (holding every other one) and must give Comet's answer,
// {Status: 403, Message}, while an admin holding it gets past the gate. And the registry must gate what
// Comet gates: every endpoint of Comet's contract marked permissionGated that Halley serves declares a
// permission, as does every endpoint that reads or changes email, webhook, branding or sign-in source
// settings, unless it is listed below as deliberately ungated, with the reason.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../lib/api/endpoints';
import type { AnyEndpoint } from '../../lib/api/registry';
import type { Permission } from '../../lib/tenancy/permissions';
import { CometClient, expectedHttp } from '../helpers/comet-client';
import { client, makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';

type WireEndpoint = { path: string; permissionGated: boolean; area: string };
const contract: WireEndpoint[] = JSON.parse(readFileSync(join(import.meta.dirname, '../../../shared/comet-wire/endpoints.json'), 'utf8'));

/** The AdminUserPermissions flag behind each permission (lib/tenancy/permissions.ts): Allow* grant, the others deny. */
const FLAG: Record<Permission, { flag: string; grants: boolean }> = {
  'server.settings': { flag: 'PreventEditServerSettings', grants: false },
  'admins.manage': { flag: 'PreventEditServerSettings', grants: false },
  'account.change-password': { flag: 'PreventChangePassword', grants: false },
  'branding.edit': { flag: 'AllowEditBranding', grants: true },
  'email.edit': { flag: 'AllowEditEmailOptions', grants: true },
  'webhooks.edit': { flag: 'AllowEditWebhooks', grants: true },
  'remote-storage.edit': { flag: 'AllowEditRemoteStorage', grants: true },
  'external-auth.edit': { flag: 'AllowEditExternalAuthSources', grants: true },
  'server.history': { flag: 'DenyViewServerHistory', grants: false },
  'server.info': { flag: 'DenyViewServerInfo', grants: false },
  'server.shutdown': { flag: 'PreventServerShutdown', grants: false },
  'constellation.role': { flag: 'DenyConstellationRole', grants: false },
};
const ALL_GRANTS = Object.fromEntries(Object.values(FLAG).filter((f) => f.grants).map((f) => [f.flag, true]));

/** Endpoints in a settings area that are deliberately not gated, and why. */
const DELIBERATELY_UNGATED: Record<string, string> = {
  '/api/v1/admin/preview-user-email-report':
    "renders one end user's report from a configuration the caller passes in; it reads no email settings and sends nothing (Comet does not gate it either)",
  '/api/v1/admin/account/webauthn/request-authentication-challenge': 'a sign-in step (auth none): the caller has no permissions yet',
};

/** Paths that read or change email, webhook, branding or sign-in source settings, with the permission of their area. */
const AREAS: Array<[RegExp, Permission]> = [
  [/\/meta\/(email|send-test)|\/preview-user-email-report/, 'email.edit'],
  [/\/meta\/webhook-(options|deliveries)/, 'webhooks.edit'],
  [/\/meta\/(branding|build-config)/, 'branding.edit'],
  [/\/meta\/remote-storage/, 'remote-storage.edit'],
  [/\/external-auth-sources\/|\/webauthn\/request-authentication-challenge/, 'external-auth.edit'],
];
const SETTINGS_AREA = new RegExp(AREAS.map(([re]) => re.source).join('|'));
const areaPermission = (path: string): Permission | undefined => AREAS.find(([re]) => re.test(path))?.[1];

const served = new Map(endpoints.map((e) => [e.path, e]));

describe('the registry gates what Comet gates', () => {
  it('every permissionGated Comet endpoint Halley serves declares a permission', () => {
    const gatedInComet = contract.filter((w) => w.permissionGated && served.has(w.path));
    expect(gatedInComet.length).toBeGreaterThan(0);
    const missing = gatedInComet.filter((w) => !served.get(w.path)!.permission && !DELIBERATELY_UNGATED[w.path]).map((w) => w.path);
    expect(missing, 'Comet gates these, Halley does not').toEqual([]);
  });

  it('every endpoint in a settings area declares a permission or is listed as deliberately ungated', () => {
    const inArea = endpoints.filter((e) => SETTINGS_AREA.test(e.path));
    expect(inArea.length).toBeGreaterThan(10);
    const ungated = inArea.filter((e) => !e.permission && !e.topLevelOnly && !DELIBERATELY_UNGATED[e.path]).map((e) => e.path);
    expect(ungated).toEqual([]);
    // The list stays honest: nothing in it is gated after all, and everything in it exists.
    for (const p of Object.keys(DELIBERATELY_UNGATED)) expect(served.get(p)?.permission, p).toBeUndefined();
  });
});

describe('an admin lacking exactly the permission gets 403', () => {
  let tenant: TenantFixture;
  /** Admins by the permission they lack ('' = holds every permission), tenant admins and top-level admins. */
  const lacking = new Map<string, CometClient>();

  async function newAdmin(orgId: string | undefined, permissions: Record<string, unknown>): Promise<CometClient> {
    const root = await rootClient();
    const creds = { username: uniq('gate-admin'), password: `pw-${randomBytes(6).toString('hex')}` };
    await root.ok('/api/v1/admin/admin-user/new', { TargetUser: creds.username, TargetPassword: creds.password, TargetOrgID: orgId });
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: creds.username, Permissions: permissions });
    return client(creds);
  }

  const key = (e: AnyEndpoint, lacks: Permission | '') => `${e.topLevelOnly ? 'top' : 'tenant'}:${lacks}`;

  beforeAll(async () => {
    tenant = await makeTenant('gates');
    for (const e of endpoints.filter((x) => x.permission)) {
      for (const lacks of [e.permission!, ''] as const) {
        if (lacking.has(key(e, lacks))) continue;
        const perms: Record<string, unknown> = { ...ALL_GRANTS };
        if (lacks) perms[FLAG[lacks].flag] = !FLAG[lacks].grants;
        lacking.set(key(e, lacks), await newAdmin(e.topLevelOnly ? undefined : tenant.id, perms));
      }
    }
  }, 120_000);

  const gated = endpoints.filter((e) => e.permission);

  it('there are gated endpoints, and each can be lacked', () => {
    expect(gated.length).toBeGreaterThan(10);
    for (const e of gated) {
      // A top-level admin holds every Allow* implicitly, so a top-level-only endpoint must be gated by a deny flag.
      if (e.topLevelOnly) expect(FLAG[e.permission!].grants, `${e.path}: a top-level admin cannot lack ${e.permission}`).toBe(false);
    }
  });

  // Called, not just declared: an admin lacking its area's permission is refused by every settings endpoint
  // that is not deliberately ungated (this is what caught email-deliveries and email-report/preview).
  const inArea = endpoints.filter((e) => SETTINGS_AREA.test(e.path) && !e.topLevelOnly && !DELIBERATELY_UNGATED[e.path]);
  it.each(inArea.map((e) => [e.path, e] as const))('settings area: %s refuses an admin without its area permission', async (_p, e) => {
    const perm = areaPermission(e.path)!;
    let without = lacking.get(`tenant:${perm}`);
    if (!without) {
      without = await newAdmin(tenant.id, { ...ALL_GRANTS, [FLAG[perm].flag]: !FLAG[perm].grants });
      lacking.set(`tenant:${perm}`, without);
    }
    const r = await without.call(e.path, {});
    expect(r.http).toBe(expectedHttp(e, r.body));
    expect(r.body, `${e.path} answered an admin without ${perm}`).toMatchObject({ Status: 403 });
  });

  it.each(gated.map((e) => [e.path, e] as const))('%s', async (_p, e) => {
    const without = lacking.get(key(e, e.permission!))!;
    const r = await without.call(e.path, {});
    expect(r.http).toBe(expectedHttp(e, r.body));
    expect(r.body).toMatchObject({ Status: 403 });
    expect(r.body.Message).toContain(e.permission!);
    // The control: holding every permission, the same call (no parameters) gets past the gate.
    const withAll = lacking.get(key(e, ''))!;
    const ok = await withAll.call(e.path, {});
    expect(ok.http).toBe(expectedHttp(e, ok.body));
    expect(ok.body?.Status === 403 && String(ok.body.Message).includes(e.permission!), `${e.path}: ${ok.text}`).toBe(false);
  });
});
