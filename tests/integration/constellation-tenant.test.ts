// A tenant's own Constellation (issue 16): with DeleteUnusedData on, its hourly sweep (the job's runConstellation
// for that organization, called here as the worker calls it) deletes its own unused bucket only after the required
// consecutive reports over the required hours, the grace window and the quarantine, and never another tenant's or
// the top level's unused bucket. Also the missing-bucket email: a vault of the organization pointing at a bucket
// that no longer exists is mailed to its notification addresses (EmailReportingOptions Recipients) in each one's
// language, once per bucket, not with every report, and sent to the organization's webhook that listens for event
// 14601 (the webhook alert). And admin/halley/constellation/test-server: a tenant admin tries
// a target server (this server itself, with an admin of its own) before and after saving it; bad input and wrong
// credentials answer readable, translated refusals; an admin denied the Constellation Role is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamableEventType } from '../../lib/comet/constants';
import { closeDb } from '../../lib/db/client';
import { guardSettings } from '../../lib/constellation/guard-settings';
import { runConstellation } from '../../lib/constellation/run-constellation';
import { closeTransports } from '../../lib/email/transport';
import { encodeForm, type CometClient } from '../helpers/comet-client';
import { client, makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { waitFor } from '../helpers/wait';
import { WebhookReceiver } from '../helpers/webhook-receiver';

const OFF = { RoleEnabled: false, DeleteUnusedData: false, Servers: [] };
const DELETES = { RoleEnabled: true, DeleteUnusedData: true, Servers: [] };
const BUCKET_REMOVED = 4301;
const MISSING_BUCKET = 14601; // HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET

let root: CometClient;
let tenant: TenantFixture;
let other: TenantFixture;
let sink: SmtpSink;
let restorePrivate: (() => Promise<void>) | undefined;

beforeAll(async () => {
  root = await rootClient();
  tenant = await makeTenant('constel-own');
  other = await makeTenant('constel-neighbour');
  sink = await startSmtpSink();
  restorePrivate = await allowPrivateTargets(true);
});

afterAll(async () => {
  await root?.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF }).catch(() => undefined);
  await restorePrivate?.();
  closeTransports();
  await sink?.close();
  await closeDb();
});

async function pointVaultAt(by: CometClient, username: string, bucket: string, vaultId = 'vault-comet'): Promise<void> {
  const { Profile, ProfileHash } = await by.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
  const Destinations = { ...(Profile.Destinations ?? {}), [vaultId]: { Description: 'Halley bucket', DestinationType: 1003, CometServer: halleyUrl(''), CometBucket: bucket, CometBucketKey: 'bucket-key-value' } };
  await by.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: username, ProfileData: { ...Profile, Destinations }, RequireHash: ProfileHash });
}

async function verdict(tenantId: string, bucket: string): Promise<{ State: string; Reason: string } | undefined> {
  const [row] = await sql<{ v: { State: string; Reason: string } }>(
    `SELECT r.verdicts->$2 AS v FROM "ConstellationBucket" b JOIN "ConstellationReport" r ON r.id = b."lastReportId" WHERE b."tenantId" = $1 AND b."bucketId" = $2`,
    [tenantId, bucket],
  );
  return row?.v;
}

const sweep = (tenantId: string) => runConstellation({ tenantId, trigger: 'schedule', sweep: true });
const existing = async (ids: string[]) => (await sql<{ id: string }>(`SELECT id FROM "StorageBucket" WHERE id = ANY($1)`, [ids])).map((r) => r.id).sort();

describe("a tenant's own Constellation", () => {
  it('deletes only its own unused bucket, after the required consecutive reports, never a neighbour\'s or the top level\'s', async () => {
    await tenant.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: DELETES });
    // The neighbour and the top level have their own Constellations (report only), which see their own buckets.
    await other.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { ...DELETES, DeleteUnusedData: false } });
    const used = (await tenant.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const unused = (await tenant.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const neighbours = (await other.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const topLevels = (await root.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const all = [used, unused, neighbours, topLevels];
    const holder = await makeUser(tenant.admin);
    await pointVaultAt(tenant.admin, holder.username, used);
    await other.admin.ok('/api/v1/admin/constellation/new-report');
    // Old enough for the grace window from the start.
    await sql(`UPDATE "StorageBucket" SET "createdAt" = "createdAt" - interval '48 hours' WHERE id = ANY($1)`, [all]);

    const { unusedReports } = guardSettings();
    for (let i = 1; i < unusedReports; i++) {
      const run = await sweep(tenant.id);
      expect(Object.keys(run.usage).sort()).toEqual([used, unused].sort());
      expect(await verdict(tenant.id, unused)).toMatchObject({ State: 'unused', Reason: `Unused in ${i} of the ${unusedReports} consecutive reports needed` });
      // Even with the hours passed, the count of consecutive reports is not.
      await sql(`UPDATE "ConstellationBucket" SET "unusedSince" = "unusedSince" - 25 * 3600 WHERE "tenantId" = $1 AND "bucketId" = $2`, [tenant.id, unused]);
    }
    await sweep(tenant.id);
    expect(await verdict(tenant.id, unused)).toMatchObject({ State: 'quarantined' });
    expect(await verdict(tenant.id, used)).toMatchObject({ State: 'in-use' });
    await sql(`UPDATE "ConstellationBucket" SET "quarantinedAt" = "quarantinedAt" - 73 * 3600 WHERE "tenantId" = $1`, [tenant.id]);
    const last = await sweep(tenant.id);
    expect(last.deleted).toEqual([unused]);
    expect(await verdict(tenant.id, unused)).toMatchObject({ State: 'deleted' });
    expect(await existing(all)).toEqual([used, neighbours, topLevels].sort());
    const events = await sql<{ tenantId: string }>(`SELECT "tenantId" FROM "Event" WHERE type = $1 AND data->>'BucketID' = ANY($2)`, [BUCKET_REMOVED, all]);
    expect(events).toEqual([{ tenantId: tenant.id }]);
    // The tenant's Constellation never even remembered the neighbour's or the top level's buckets.
    expect(await sql(`SELECT "bucketId" FROM "ConstellationBucket" WHERE "tenantId" = $1 AND "bucketId" = ANY($2)`, [tenant.id, [neighbours, topLevels]])).toEqual([]);
    expect((await tenant.admin.ok('/api/v1/admin/constellation/status')).Stats.TotalBucketsDeleted).toBe(1);
    await other.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF });
  });

  it('alerts a vault pointing at a missing bucket by email to the organization\'s notification addresses, in their language, once, and by webhook', async () => {
    const smtp = { Mode: 'smtp', SMTPHost: '127.0.0.1', SMTPPort: sink.port, SMTPAllowUnencrypted: true, FromEmail: 'constellation@tenant.example', FromName: 'Tenant Ops' };
    const option = (to: string, language: string) => ({ EmailReportConfig: { ReportType: 1, SummaryFrequency: [{ FrequencyType: 8011, SecondsPast: 0 }] }, LanguageCode: language, LocalTimezone: 'UTC', Recipients: [to] });
    await root.ok('/api/v1/admin/meta/email-options/set', { TargetOrganization: tenant.id, EmailOptions: { ...smtp, EmailReportingOptions: [option('ops@tenant.example', 'de_DE'), option('night@tenant.example', 'he_IL')] } });
    await tenant.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { ...DELETES, DeleteUnusedData: false } });
    // The organization's webhook listens for the missing-bucket alert only.
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: tenant.adminName, Permissions: { AllowEditWebhooks: true } });
    const hook = await new WebhookReceiver().start();
    await tenant.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: { alerts: { URL: hook.url, CustomHeaders: {}, Level: 'full', WhiteListedEventTypes: [MISSING_BUCKET] } } });
    const vanishing = (await tenant.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const owner = await makeUser(tenant.admin);
    await pointVaultAt(tenant.admin, owner.username, vanishing, 'vault-vanishing');
    await tenant.admin.ok('/api/v1/admin/constellation/new-report');
    expect(sink.messages.filter((m) => m.mail.text?.includes(vanishing))).toEqual([]);
    // The bucket goes away behind the Constellation's back (deleted on the storage side); the vault still points at it.
    await sql(`DELETE FROM "StorageBucket" WHERE id = $1`, [vanishing]);
    const before = sink.accepted();
    const listed = await tenant.admin.ok('/api/v1/admin/constellation/new-report').then(() => tenant.admin.ok('/api/v1/admin/constellation/buckets'));
    expect(listed.Missing).toContainEqual({ Username: owner.username, ServerID: 0, BucketID: vanishing });
    const de = await sink.waitFor((m) => m.envelopeTo.includes('ops@tenant.example') && (m.mail.text ?? '').includes(vanishing));
    expect(de.mail.subject).toMatch(/Speicher-Tresor\(e\) verweisen auf fehlende Buckets/);
    expect(de.mail.text).toContain(owner.username);
    expect(de.mail.from?.text).toBe('"Tenant Ops" <constellation@tenant.example>');
    const he = await sink.waitFor((m) => m.envelopeTo.includes('night@tenant.example') && (m.mail.text ?? '').includes(vanishing));
    expect(he.mail.subject).toMatch(/כספות אחסון/);
    expect(he.mail.html).toContain('dir="rtl"');
    expect(sink.accepted() - before).toBe(2);
    const alert = await waitFor('the missing-bucket webhook', () => hook.received.find((r) => r.json?.Type === MISSING_BUCKET), 30_000);
    expect(JSON.stringify(alert.json)).toContain(vanishing);
    // Nothing else than the hello the receiver gets when it is saved: the whitelist holds.
    expect(hook.received.filter((r) => r.json?.Type !== MISSING_BUCKET && r.json?.Type !== StreamableEventType.SEVT_META_HELLO)).toEqual([]);
    // The next reports still list it, but nobody is mailed again for the same bucket.
    await tenant.admin.ok('/api/v1/admin/constellation/new-report');
    await sweep(tenant.id);
    expect(sink.accepted() - before).toBe(2);
    const [alerted] = await sql(`SELECT "missingAlertedAt" FROM "ConstellationBucket" WHERE "tenantId" = $1 AND "bucketId" = $2`, [tenant.id, vanishing]);
    expect(Number(alerted.missingAlertedAt)).toBeGreaterThan(0);
    expect(hook.received.filter((r) => JSON.stringify(r.json).includes(vanishing))).toHaveLength(1);
    await tenant.admin.ok('/api/v1/admin/meta/webhook-options/set', { WebhookOptions: {} });
    await hook.stop();
    await root.ok('/api/v1/admin/meta/email-options/set', { TargetOrganization: tenant.id, EmailOptions: {} });
  });

  it('tests a target server through the outbound guard with the given or stored credentials', async () => {
    const name = uniq('constel-probe');
    const password = 'Correct-Horse-42';
    await root.ok('/api/v1/admin/admin-user/new', { TargetUser: name, TargetPassword: password, TargetOrgID: tenant.id });
    const probe = (await tenant.admin.ok('/api/v1/admin/storage/register-bucket')).NewBucketID as string;
    const address = halleyUrl('').replace(/\/+$/, '');
    const server = { Type: 'comet', Description: 'This server as seen from outside', RemoteAddress: address, Username: name, Password: password };
    const ok = await tenant.admin.ok('/api/v1/admin/halley/constellation/test-server', { RemoteServer: server });
    expect(ok).toMatchObject({ Status: 200, Address: address, Message: expect.stringContaining(`${address} answered:`) });
    expect(ok.Buckets).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(ok)).not.toContain(password);
    // Not saved yet: without a password there is nothing to use.
    expect((await tenant.admin.fails('/api/v1/admin/halley/constellation/test-server', { RemoteServer: { ...server, Password: '' } })).Message).toMatch(/Password/);
    await tenant.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: { ...OFF, Servers: [server] } });
    // Saved: an empty Password uses the stored one.
    expect((await tenant.admin.ok('/api/v1/admin/halley/constellation/test-server', { RemoteServer: { ...server, Password: '' } })).Buckets).toBe(ok.Buckets);
    // Wrong credentials: a readable refusal naming the server and the cause.
    const wrong = await tenant.admin.fails('/api/v1/admin/halley/constellation/test-server', { RemoteServer: { ...server, Password: 'Wrong-Horse-42' } });
    expect(wrong.Status).toBe(400);
    expect(wrong.Message).toContain(`Could not list the buckets of ${address} with these credentials:`);
    // Translated by the request's language.
    const de = await tenant.admin.raw('/api/v1/admin/halley/constellation/test-server', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de-DE' },
      body: encodeForm(tenant.admin.creds, { RemoteServer: { ...server, Password: 'Wrong-Horse-42' } }).toString(),
    });
    expect(de.body.Message).toContain(`Die Buckets von ${address} konnten mit diesen Zugangsdaten nicht aufgelistet werden`);
    // Bad input.
    expect((await tenant.admin.fails('/api/v1/admin/halley/constellation/test-server', { RemoteServer: { ...server, Type: 'ftp' } })).Status).toBe(400);
    expect((await tenant.admin.fails('/api/v1/admin/halley/constellation/test-server', { RemoteServer: { ...server, RemoteAddress: 'not a url' } })).Status).toBe(400);
    expect((await tenant.admin.fails('/api/v1/admin/halley/constellation/test-server', { RemoteServer: '{not json' })).Status).toBe(400);
    expect((await tenant.admin.fails('/api/v1/admin/halley/constellation/test-server')).Status).toBe(400);
    // An admin of the organization without the Constellation Role is refused.
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: name, Permissions: { DenyConstellationRole: true } });
    const denied = await client({ username: name, password }).fails('/api/v1/admin/halley/constellation/test-server', { RemoteServer: server });
    expect(denied.Status).toBe(403);
    await tenant.admin.ok('/api/v1/admin/meta/constellation/config/set', { ConstellationRoleOptions: OFF });
    expect(probe).toBeTruthy();
  });
});
