// `npm start -- --demo` on a fresh server seeds a tenant with its own administrator before anyone has
// created the top-level one: add-first-admin-user must still work then (it is about the top level), and
// the tenant admin can already sign in. Domain functions against a scratch database, in this process.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';

let scratch: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  scratch = await createScratchDatabase(process.env.DATABASE_URL!);
  await applyMigrations(scratch.url, { log: () => {} });
  // This file's worker has not opened the shared database yet: point it at the scratch one.
  process.env.DATABASE_URL = scratch.url;
}, 120_000);

afterAll(async () => {
  const { closeDb } = await import('../../lib/db/client');
  await closeDb();
  await scratch?.drop();
});

it('lets the first top-level administrator be created after a tenant administrator exists', async () => {
  const { addFirstAdmin, serverHasAdmin, serverHasAnyAdmin } = await import('../../lib/admins/add-first-admin');
  const { newAdmin } = await import('../../lib/admins/manage-admins');
  const { setOrganization } = await import('../../lib/tenants/organizations');
  const { TOP_LEVEL_TENANT_ID } = await import('../../lib/tenancy/actor');
  const seed = { kind: 'admin', adminId: 'seed', username: 'seed', tenantId: TOP_LEVEL_TENANT_ID, isTopLevel: true, permissions: {}, authMethod: 'None' } as const;
  const org = await setOrganization({ actor: seed, organization: { Name: 'Demo tenant', Hosts: [] } });
  await newAdmin({ actor: seed, username: 'demo-tenant-admin', password: 'demo-admin-pw-1', targetOrgId: org.ID });
  expect(await serverHasAnyAdmin()).toBe(true);
  expect(await serverHasAdmin()).toBe(false);

  await addFirstAdmin({ username: 'first-top-level', password: 'first-admin-pw-1' });
  expect(await serverHasAdmin()).toBe(true);
  await expect(addFirstAdmin({ username: 'second-top-level', password: 'second-admin-pw-1' })).rejects.toThrow('This server already has an administrator');
});
