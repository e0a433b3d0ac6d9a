// Organization import (issue 17): a tenant exported from one Halley (server A: its own database, Redis and secret
// key) is imported into another, populated one (the test server, another key): a dry run writes nothing, the import
// creates the organization, its admin signs in, its webhook secret still opens (re-sealed with B's key), a second
// import is refused with the list of conflicts; tenant admins and bad input are refused. Uploaded instead of named by
// path, into a server where the organization's id is taken, it gets a new id, also inside its JSON data.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/schema-diff';
import { freePort, randomHex, repoRoot, startRedis, type RunningService } from '../../scripts/lib/services.mjs';
import { launchBrowser, newPage, pageErrors, shot, signIn } from '../helpers/browser';
import { CometClient } from '../helpers/comet-client';
import { makeTenant, ROOT, rootClient, uniq } from '../helpers/fixtures';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const servicesDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
const work = path.join(servicesDir, `org-import-${randomHex(4)}`);
const exportDir = path.join(work, 'exports');
const PASSWORD = 'export pass phrase ✓';
const ROOT_A = { username: 'imp-root-a', password: 'Correct-Horse-42a' };
const tenantAdmin = { username: uniq('imp-admin'), password: 'Correct-Horse-42b' };
const userName = uniq('imp-user');
const host = `${uniq('imp')}.example.test`;

let scratchA: { url: string; drop: () => Promise<void> };
let redisA: RunningService;
let halleyA: HalleyProcess;
let rootA: CometClient;
let rootB: CometClient;
let dbB: pg.Client;
let archive = '';
let tenantIdA = '';
let webhookSecretA = '';

async function importRow(id: string) {
  return waitFor(`import ${id}`, async () => {
    const r = await rootB.ok('/api/v1/admin/halley/organization/imports', { ImportID: id });
    const row = r.Imports[0];
    return row && !['queued', 'running'].includes(row.Status) ? row : undefined;
  }, 120_000, 250);
}

beforeAll(async () => {
  fs.mkdirSync(work, { recursive: true });
  scratchA = await createScratchDatabase(process.env.DATABASE_URL!);
  await applyMigrations(scratchA.url, { log: () => {} });
  redisA = await startRedis({ dir: path.join(work, 'redis-a'), port: await freePort() });
  halleyA = await startHalley({
    name: 'imp-a',
    databaseUrl: scratchA.url,
    workers: true,
    logDir: servicesDir,
    env: { REDIS_URL: redisA.url, HALLEY_SECRET_KEY: randomHex(32), HALLEY_DATA_DIR: path.join(work, 'data-a'), HALLEY_ALLOW_PRIVATE_TARGETS: 'true', LOG_LEVEL: 'warn' },
  });
  await new CometClient(halleyA.url, null).ok('/api/v1/admin/add-first-admin-user', { TargetUser: ROOT_A.username, TargetPassword: ROOT_A.password });
  rootA = new CometClient(halleyA.url, ROOT_A);
  rootB = await rootClient();
  dbB = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await dbB.connect();

  // On A: a tenant with a host, an admin (allowed to edit webhooks), a user, a policy and a webhook (sealed secret).
  tenantIdA = (await rootA.ok('/api/v1/admin/organization/set', { Organization: { Name: 'Migrating tenant', Hosts: [host] } })).ID;
  await rootA.ok('/api/v1/admin/admin-user/new', { TargetUser: tenantAdmin.username, TargetPassword: tenantAdmin.password, TargetOrgID: tenantIdA });
  const a = new pg.Client({ connectionString: scratchA.url });
  await a.connect();
  await a.query(`UPDATE "AdminUser" SET permissions = permissions || '{"AllowEditWebhooks": true}'::jsonb WHERE username = $1`, [tenantAdmin.username]);
  const adminA = new CometClient(halleyA.url, tenantAdmin);
  await adminA.ok('/api/v1/admin/add-user', { TargetUser: userName, TargetPassword: 'Correct-Horse-42c' });
  await adminA.ok('/api/v1/admin/policies/new', { Policy: { Description: 'Imported policy', Policy: {} } });
  // JSON data that names the organization (as saved filters and settings do): a value and a key.
  await a.query(`UPDATE "Policy" SET data = data || jsonb_build_object('HalleyFilter', jsonb_build_object('OrganizationID', "tenantId", 'ByOrg', jsonb_build_object("tenantId", 1))) WHERE "tenantId" = $1`, [tenantIdA]);
  await a.end();
  await adminA.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { crm: { URL: 'http://127.0.0.1:9/hook', CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [] } } });
  webhookSecretA = (await adminA.ok('/api/v1/admin/meta/webhook-options/get-secret', { WebhookID: 'crm' })).Secret;
  expect(webhookSecretA).toBeTruthy();

  const r = await rootA.ok('/api/v1/admin/organization/export', {
    Options: { Location: { DestinationType: 1002, LocalcopyPath: exportDir }, EncryptionKey: PASSWORD, Compression: 2, RestrictToSingleOrgID: tenantIdA },
  });
  await waitFor('the export', async () => {
    const run = (await rootA.ok('/api/v1/admin/self-backup/runs', { Limit: 10 })).Runs.find((x: any) => x.ID === r.RunID);
    return run && run.Status === 'success';
  }, 120_000, 250);
  archive = path.join(exportDir, fs.readdirSync(exportDir).find((n) => n.endsWith('.zip'))!);
}, 240_000);

afterAll(async () => {
  await dbB?.end();
  await halleyA?.stop();
  await redisA?.stop();
  await scratchA?.drop().catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('admin/halley/organization/import', () => {
  it('refuses tenant admins, bad paths, a missing file and a wrong password', async () => {
    const t = await makeTenant('imp-other');
    expect((await t.admin.fails('/api/v1/admin/halley/organization/import', { ArchivePath: archive, ArchivePassword: PASSWORD })).Status).toBe(403);
    expect((await t.admin.fails('/api/v1/admin/halley/organization/imports', {})).Status).toBe(403);
    expect((await rootB.fails('/api/v1/admin/halley/organization/import', { ArchivePath: 'relative.zip', ArchivePassword: PASSWORD })).Message).toMatch(/absolute path/);
    expect((await rootB.fails('/api/v1/admin/halley/organization/import', { ArchivePath: path.join(work, 'nope.zip'), ArchivePassword: PASSWORD })).Message).toMatch(/No archive file/);
    expect((await rootB.fails('/api/v1/admin/halley/organization/import', { ArchivePath: archive, ArchivePassword: '' })).Message).toMatch(/Password/);
    const wrong = await rootB.ok('/api/v1/admin/halley/organization/import', { ArchivePath: archive, ArchivePassword: 'not the password' });
    const row = await importRow(wrong.ImportID);
    expect([row.Status, row.Error]).toEqual(['failed', expect.stringMatching(/password does not open/)]);
  }, 120_000);

  it('a dry run verifies and finds no conflict, and writes nothing', async () => {
    const r = await rootB.ok('/api/v1/admin/halley/organization/import', { ArchivePath: archive, ArchivePassword: PASSWORD, DryRun: true });
    const row = await importRow(r.ImportID);
    expect([row.Status, row.Error, row.Conflicts]).toEqual(['checked', '', []]);
    expect(row.SourceOrganizationID).toBe(tenantIdA);
    expect(row.Summary.Tables.map((t: any) => t.Name)).toEqual(expect.arrayContaining(['Tenant', 'AdminUser', 'Account', 'Policy', 'Webhook']));
    expect((await dbB.query(`SELECT 1 FROM "AdminUser" WHERE username = $1`, [tenantAdmin.username])).rows).toHaveLength(0);
    expect((await dbB.query(`SELECT "sealedPassword" FROM "OrganizationImport" WHERE id = $1`, [r.ImportID])).rows[0].sealedPassword).toBe('');
  }, 120_000);

  it('imports: the organization exists, its admin signs in, its users and policies are there, its webhook secret opens', async () => {
    const r = await rootB.ok('/api/v1/admin/halley/organization/import', { ArchivePath: archive, ArchivePassword: PASSWORD });
    const row = await importRow(r.ImportID);
    expect([row.Status, row.Error]).toEqual(['success', '']);
    expect(row.OrganizationName).toBe('Migrating tenant');
    expect(row.Summary.ResealedSecrets).toBeGreaterThan(0);
    expect(row.RowsDone).toBe(row.RowsTotal);
    const orgs = await rootB.ok('/api/v1/admin/organization/list');
    expect(orgs[row.OrganizationID]).toMatchObject({ Name: 'Migrating tenant', Hosts: [host] });

    const adminB = new CometClient(halleyUrl(), tenantAdmin);
    expect(Object.values(await adminB.ok('/api/v1/admin/list-users'))).toContain(userName);
    const policies = await adminB.ok('/api/v1/admin/policies/list-full');
    expect(Object.values(policies).map((p: any) => p.Description)).toContain('Imported policy');
    expect((await adminB.ok('/api/v1/admin/meta/webhook-options/get-secret', { WebhookID: 'crm' })).Secret).toBe(webhookSecretA);
    // The creation is an event of the new organization.
    expect((await dbB.query(`SELECT data FROM "Event" WHERE "tenantId" = $1 AND type = 4500`, [row.OrganizationID])).rows[0].data).toMatchObject({ ImportedFrom: tenantIdA });
  }, 120_000);

  it('a second import is refused with every conflict listed, and changes nothing', async () => {
    const before = (await dbB.query(`SELECT count(*)::int AS n FROM "Tenant"`)).rows[0].n;
    const r = await rootB.ok('/api/v1/admin/halley/organization/import', { ArchivePath: archive, ArchivePassword: PASSWORD });
    const row = await importRow(r.ImportID);
    expect(row.Status).toBe('refused');
    const byKind = (k: string) => row.Conflicts.filter((c: any) => c.Kind === k).map((c: any) => c.Value);
    expect(byKind('user')).toEqual([userName]);
    expect(byKind('admin')).toEqual([tenantAdmin.username]);
    expect(byKind('host')).toEqual([host]);
    expect(row.Conflicts.every((c: any) => typeof c.Message === 'string' && c.Message.length > 0)).toBe(true);
    expect((await dbB.query(`SELECT count(*)::int AS n FROM "Tenant"`)).rows[0].n).toBe(before);
  }, 120_000);

  it('imports an uploaded archive under a new id when its id is taken here, rewriting the id inside JSON data', async () => {
    const upload = async (bytes: Buffer, extra: Record<string, string> = {}) => {
      const form = new FormData();
      form.append('Archive', new Blob([new Uint8Array(bytes)]), 'export.zip');
      form.append('ArchivePassword', PASSWORD);
      for (const [k, v] of Object.entries(extra)) form.append(k, v);
      // The credentials as form fields (the root password is not a valid header value: it has a non-Latin-1 letter).
      for (const [k, v] of Object.entries({ Username: ROOT.username, AuthType: 'Password', Password: ROOT.password })) form.append(k, v);
      const res = await fetch(halleyUrl('/api/v1/admin/halley/organization/import-upload'), { method: 'POST', body: form });
      return res.json();
    };
    // Bad input: not a zip; a tenant admin.
    expect(await upload(Buffer.from('not a zip at all'))).toMatchObject({ Status: 400, Message: expect.stringMatching(/zip/) });
    const t = await makeTenant('imp-upload-other');
    const form = new FormData();
    form.append('Archive', new Blob([new Uint8Array(fs.readFileSync(archive))]), 'export.zip');
    form.append('ArchivePassword', PASSWORD);
    const refused = await fetch(halleyUrl('/api/v1/admin/halley/organization/import-upload'), {
      method: 'POST',
      body: form,
      headers: { 'X-Comet-Admin-Username': t.adminName, 'X-Comet-Admin-AuthType': 'Password', 'X-Comet-Admin-Password': t.admin.creds!.password! },
    });
    expect((await refused.json()).Status).toBe(403);

    // The first import goes; another, non-empty organization takes its id here.
    const first = (await rootB.ok('/api/v1/admin/organization/list'))[tenantIdA];
    expect(first).toBeTruthy();
    await rootB.ok('/api/v1/admin/organization/delete', { OrganizationID: tenantIdA });
    await dbB.query(`INSERT INTO "Tenant" (id, name, "updatedAt") VALUES ($1, 'Holds the id', now())`, [tenantIdA]);
    await dbB.query(`INSERT INTO "NewsItem" (id, "tenantId", "textContent", "dateTime") VALUES ($1, $2, 'mine', 1)`, [uniq('news'), tenantIdA]);

    // A dry run of the upload keeps the file for the import that follows (by its ArchivePath).
    const dry = await upload(fs.readFileSync(archive), { DryRun: 'true' });
    expect(dry).toMatchObject({ Status: 200, ImportID: expect.any(String), ArchivePath: expect.stringMatching(/imports\/upload-.*\.zip$/) });
    expect((await importRow(dry.ImportID)).Status).toBe('checked');
    expect(fs.existsSync(dry.ArchivePath)).toBe(true);
    const r = await rootB.ok('/api/v1/admin/halley/organization/import', { ArchivePath: dry.ArchivePath, ArchivePassword: PASSWORD });
    const row = await importRow(r.ImportID);
    expect([row.Status, row.Error]).toEqual(['success', '']);
    expect(row.OrganizationID).not.toBe(tenantIdA);
    expect(row.Summary.RewrittenJSONRows).toBeGreaterThan(0);
    expect(fs.existsSync(dry.ArchivePath)).toBe(false);
    const data = (await dbB.query(`SELECT data FROM "Policy" WHERE "tenantId" = $1`, [row.OrganizationID])).rows[0].data;
    expect(data.HalleyFilter).toEqual({ OrganizationID: row.OrganizationID, ByOrg: { [row.OrganizationID]: 1 } });
    // Nothing imported still names the old id in its JSON; the organization holding it is untouched.
    const stale = await dbB.query(`SELECT count(*)::int AS n FROM "Policy" WHERE "tenantId" = $1 AND data::text LIKE '%' || $2 || '%'`, [row.OrganizationID, tenantIdA]);
    expect(stale.rows[0].n).toBe(0);
    expect((await dbB.query(`SELECT name FROM "Tenant" WHERE id = $1`, [tenantIdA])).rows[0].name).toBe('Holds the id');
    const policies = await new CometClient(halleyUrl(), tenantAdmin).ok('/api/v1/admin/policies/list-full');
    expect(Object.values(policies).map((p: any) => p.Description)).toContain('Imported policy');
  }, 240_000);

  it('console: Settings → Self-backup → Import tenant checks the archive (by path and uploaded) and lists the conflicts', async () => {
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      const errors = pageErrors(page);
      await signIn(page, halleyUrl(), ROOT.username, ROOT.password);
      await page.goto(`${halleyUrl()}/settings/self-backup`);
      const form = page.getByRole('form', { name: 'Import tenant' });
      await form.waitFor();
      // The earlier imports are in the history: the organization created, the conflicts of the refused one.
      await page.getByText('Created the organization Migrating tenant').first().waitFor();
      await form.locator('[name="archivePath"]').fill('relative/archive.zip');
      await form.locator('[name="archivePassword"]').fill(PASSWORD);
      await form.getByRole('button', { name: 'Check archive' }).click();
      await form.getByText(/Enter the absolute path of the archive/).waitFor();
      await form.locator('[name="archivePath"]').fill(archive);
      await form.getByRole('button', { name: 'Check archive' }).click();
      await page.getByText(`The user name ${userName} is taken on this server`).first().waitFor({ timeout: 60_000 });
      await page.getByText(`The host ${host} belongs to another organization here`).first().waitFor();
      await shot(page, 'organization-import-1-conflicts');
      // The same archive uploaded from the browser: checked on the server, whose stored copy the path field then names.
      await form.locator('[name="archivePath"]').fill('');
      await form.locator('[name="archiveFile"]').setInputFiles(archive);
      await form.locator('[name="archivePassword"]').fill(PASSWORD);
      await form.getByRole('button', { name: 'Check archive' }).click();
      await expect.poll(() => form.locator('[name="archivePath"]').inputValue(), { timeout: 60_000 }).toMatch(/imports\/upload-.*\.zip$/);
      await shot(page, 'organization-import-2-uploaded');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 180_000);
});
