// Organization.PSAConfigs and ServerConfigOptions.PSAConfigs (issue 18) are the organization's PSA list, the
// same rows admin/meta/psa-config-list/get|set show: organization/list and server-config/get answer it with the
// secrets blank/masked, organization/set and server-config/set replace it (a blank key or masked header sent back
// keeps the stored secret), bad input changes nothing, and an Organization without the field keeps the list.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_MASK } from '../../lib/webhooks/custom-headers';
import { makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { PsaMock } from '../helpers/psa-mock';
import type { CometClient } from '../helpers/comet-client';

const KEY = uniq('org-psa-key');
const HEADER_SECRET = uniq('org-psa-header');
const receiver = new PsaMock(() => ({ status: 202, json: { ok: true } }));

let db: pg.Client;
let root: CometClient;
let t: TenantFixture;
let restorePrivate: () => Promise<void>;

const entry = (path: string, extra: Record<string, unknown> = {}) => ({
  Type: 0,
  URL: `${receiver.url}${path}`,
  AlertsDisabled: false,
  GroupedBy: { Users: true, Tenants: false, AccountName: false },
  ...extra,
});

async function organization(id: string): Promise<any> {
  return (await root.ok('/api/v1/admin/organization/list'))[id];
}

async function storedSecrets(tenantId: string): Promise<string[]> {
  const r = await db.query(`SELECT "partnerKey", "customHeaders"::text AS h FROM "PsaConfig" WHERE "tenantId" = $1 ORDER BY position`, [tenantId]);
  return r.rows.map((x) => `${x.partnerKey} ${x.h}`);
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  await receiver.start();
  restorePrivate = await allowPrivateTargets(true);
  root = await rootClient();
  t = await makeTenant('org-psa');
});

afterAll(async () => {
  // The server's own list is shared by every integration file: leave it empty, as found.
  await root?.call('/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: [] });
  await restorePrivate?.();
  await receiver.stop();
  await db?.end();
});

describe('Organization.PSAConfigs', () => {
  it('shows the list psa-config-list/set stored, secrets blank and masked', async () => {
    expect((await organization(t.id)).PSAConfigs).toEqual([]);
    await t.admin.ok('/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: [entry('/a', { PartnerKey: KEY, CustomHeaders: { 'X-Api-Key': HEADER_SECRET } })] });
    const org = await organization(t.id);
    expect(org.PSAConfigs).toEqual([{ ...entry('/a'), CustomHeaders: { 'X-Api-Key': HEADER_MASK } }]);
    expect(org.PSAConfigs).toEqual(await t.admin.ok('/api/v1/admin/meta/psa-config-list/get'));
    expect(JSON.stringify(await root.ok('/api/v1/admin/organization/list'))).not.toContain(KEY);
    expect(JSON.stringify(org)).not.toContain(HEADER_SECRET);
  });

  it('organization/set replaces the same list, keeps secrets sent back blank, and keeps the list when the field is absent', async () => {
    const before = await storedSecrets(t.id);
    const org = await organization(t.id);
    // What list answered, sent back with one more entry: the first keeps its sealed key and header.
    const r = await root.ok('/api/v1/admin/organization/set', { OrganizationID: t.id, Organization: { ...org, PSAConfigs: [...org.PSAConfigs, entry('/b')] } });
    expect(r.Organization.PSAConfigs.map((c: any) => c.URL)).toEqual([`${receiver.url}/a`, `${receiver.url}/b`]);
    expect((await storedSecrets(t.id))[0]).toBe(before[0]);
    const status = await t.admin.ok('/api/v1/admin/meta/psa-config-list/status');
    expect(status.Integrations.map((i: any) => [i.HasPartnerKey, i.HeaderNames])).toEqual([
      [true, ['X-Api-Key']],
      [false, []],
    ]);
    expect((await t.admin.ok('/api/v1/admin/meta/psa-config-list/get')).map((c: any) => c.URL)).toEqual([`${receiver.url}/a`, `${receiver.url}/b`]);
    // Not stored twice: the tenant's data column does not carry a copy.
    expect((await db.query(`SELECT data ? 'PSAConfigs' AS has FROM "Tenant" WHERE id = $1`, [t.id])).rows[0].has).toBe(false);

    // An Organization without PSAConfigs (an older client) leaves the list alone.
    const { PSAConfigs: _drop, ...withoutPsa } = await organization(t.id);
    await root.ok('/api/v1/admin/organization/set', { OrganizationID: t.id, Organization: { ...withoutPsa, Name: `${withoutPsa.Name}-renamed` } });
    expect((await organization(t.id)).PSAConfigs).toHaveLength(2);
  });

  it('refuses a bad list and changes nothing (organization stays as it was)', async () => {
    const org = await organization(t.id);
    const bad = await root.fails('/api/v1/admin/organization/set', { OrganizationID: t.id, Organization: { ...org, Name: 'changed', PSAConfigs: [{ Type: 99, URL: 'x' }] } });
    expect(bad.Status).toBe(400);
    expect(bad.Message).toContain('Organization.PSAConfigs[0]');
    const gradientWithoutKey = await root.fails('/api/v1/admin/organization/set', { OrganizationID: t.id, Organization: { ...org, PSAConfigs: [{ Type: 1, URL: '' }] } });
    expect(gradientWithoutKey.Status).toBe(400);
    expect(await organization(t.id)).toEqual(org);
    // A foreign or missing organization id answers like before.
    expect((await root.fails('/api/v1/admin/organization/set', { OrganizationID: 'no-such-org', Organization: { ...org, PSAConfigs: [] } })).Status).toBe(404);
  });

  it('creates a new organization with its PSA list', async () => {
    const r = await root.ok('/api/v1/admin/organization/set', { Organization: { Name: uniq('org-psa-new'), PSAConfigs: [entry('/new', { PartnerKey: KEY })] } });
    expect(r.Organization.PSAConfigs).toEqual([entry('/new')]);
    expect((await db.query(`SELECT count(*)::int AS n FROM "PsaConfig" WHERE "tenantId" = $1`, [r.ID])).rows[0].n).toBe(1);
    await root.ok('/api/v1/admin/organization/delete', { OrganizationID: r.ID });
  });

  it('is not something a tenant admin can reach through organization/*', async () => {
    expect((await t.admin.call('/api/v1/admin/organization/list')).body.Status).toBeGreaterThanOrEqual(400);
  });
});

describe('ServerConfigOptions.PSAConfigs', () => {
  it("is the top-level organization's list: server-config/get shows it, server-config/set replaces it", async () => {
    await root.ok('/api/v1/admin/meta/psa-config-list/set', { PSAConfigList: [entry('/server', { PartnerKey: KEY, CustomHeaders: { 'X-Api-Key': HEADER_SECRET } })] });
    const config = await root.ok('/api/v1/admin/meta/server-config/get');
    expect(config.PSAConfigs).toEqual([{ ...entry('/server'), CustomHeaders: { 'X-Api-Key': HEADER_MASK } }]);
    expect(JSON.stringify(config)).not.toContain(HEADER_SECRET);

    // The document sent back unchanged changes nothing; with a second entry it adds one, keeping the secrets.
    const top = '00000000-0000-0000-0000-000000000000';
    const sealed = await storedSecrets(top);
    await root.ok('/api/v1/admin/meta/server-config/set', { Config: config });
    expect(await storedSecrets(top)).toEqual(sealed);
    await root.ok('/api/v1/admin/meta/server-config/set', { Config: { ...config, PSAConfigs: [...config.PSAConfigs, entry('/server-2')] } });
    const list = await root.ok('/api/v1/admin/meta/psa-config-list/get');
    expect(list.map((c: any) => c.URL)).toEqual([`${receiver.url}/server`, `${receiver.url}/server-2`]);
    expect((await storedSecrets(top))[0]).toBe(sealed[0]);
    expect((await root.ok('/api/v1/admin/meta/server-config/get')).PSAConfigs).toEqual(list);

    // Bad input is refused before anything is applied.
    const bad = await root.fails('/api/v1/admin/meta/server-config/set', { Config: { ...config, PSAConfigs: 'not a list' } });
    expect(bad.Status).toBe(400);
    expect((await root.ok('/api/v1/admin/meta/psa-config-list/get')).map((c: any) => c.URL)).toEqual(list.map((c: any) => c.URL));
    // A tenant admin has no server configuration.
    expect((await t.admin.call('/api/v1/admin/meta/server-config/get')).body.Status).toBeGreaterThanOrEqual(400);
  });
});
