// The tenant-isolation matrix, generated from the endpoint registry: every endpoint is called by
// tenant A's admin against tenant B's objects, by a tenant admin when it is top-level only, and
// with no or bad credentials. Each call must be refused or return nothing of B's, a foreign id must
// be answered exactly like a missing one, and B's data must be unchanged at the end.
import { beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../lib/api/endpoints';
import type { AnyEndpoint } from '../../lib/api/registry';
import { expectedHttp, type CometClient, type ParamValue } from '../helpers/comet-client';
import { client, makeTenant, makeUser, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';
import { jobDetail, seedJobs } from '../helpers/jobs';
import { allowPrivateTargets } from '../helpers/private-targets';
import { sampleProfile } from '../helpers/sample-profile';
import { tenantDbSnapshot, unclassifiedTables } from '../helpers/tenant-snapshot';

type World = {
  a: TenantFixture;
  b: TenantFixture;
  bUser: string;
  bPolicy: string;
  bGroup: string;
  bNews: string;
  bJob: string;
  bSecrets: string[];
  aUser: { username: string; password: string };
};

let w: World;
/** How many endpoints the registry serves (see 'covers every endpoint in the registry'). */
const ENDPOINT_COUNT = 305;
const MISSING = 'zz-missing-object-0000';

async function bSnapshot(): Promise<unknown> {
  return {
    // Every row tenant B owns, table by table (tests/helpers/tenant-snapshot.ts), then what B's admin sees.
    db: await tenantDbSnapshot(w.b.id),
    profile: await w.b.admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: w.bUser }),
    policy: await w.b.admin.ok('/api/v1/admin/policies/get', { PolicyID: w.bPolicy }),
    users: await w.b.admin.ok('/api/v1/admin/list-users'),
    props: await w.b.admin.ok('/api/v1/admin/account/properties'),
    webhooks: await w.b.admin.ok('/api/v1/admin/meta/webhook-options/get'),
    sources: await w.b.admin.ok('/api/v1/admin/external-auth-sources/get'),
    email: await w.b.admin.ok('/api/v1/admin/meta/email-options/get'),
    job: await w.b.admin.ok('/api/v1/admin/get-job-properties', { JobID: w.bJob }),
    jobLog: await w.b.admin.ok('/api/v1/admin/get-job-log-entries', { JobID: w.bJob }),
  };
}

/** Parameter values that point at tenant B's objects (or `id` for the foreign-vs-missing comparison). */
type Target = { user: string; policy: string; org: string; device: string; job: string; group?: string; news?: string };

/**
 * `fresh`: the base of new names, the same for the foreign and the missing call of one endpoint, so the
 * two answers can be compared word for word.
 */
function paramsFor(e: AnyEndpoint, target: Target, fresh = uniq('iso')): Record<string, ParamValue> {
  const creates = ['AdminAddUser', 'AdminAddUserFromProfile', 'AdminAdminUserNew'].includes(e.method);
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(e.params)) {
    const value: ParamValue | null = (() => {
      switch (name) {
        case 'TargetUser':
          return creates ? fresh : target.user;
        case 'TargetDevice':
          return target.device;
        case 'PolicyID':
          return target.policy;
        case 'OrganizationID':
        case 'TargetOrganization':
        case 'TargetOrgID':
          return target.org;
        case 'ProfileData':
          return sampleProfile(creates ? '' : target.user);
        case 'Policy':
          return { Description: 'hijack', OrganizationID: target.org, Policy: {} };
        case 'Organization':
          return { Name: 'hijack' };
        case 'TargetPassword':
        case 'NewPassword':
        case 'OldPassword':
          return 'hijack-password';
        case 'SoftwareBuildRoleConfig':
          return { RoleEnabled: false, MaxBuilders: 1 };
        case 'ConstellationRoleOptions':
          return { RoleEnabled: true, DeleteUnusedData: true, Servers: [] };
        case 'RemoteServer':
          return { Type: 'comet', RemoteAddress: 'http://127.0.0.1:9', Username: 'iso-admin', Password: '' };
        case 'U2FChallengeID':
        case 'U2FClientData':
        case 'U2FRegistrationData':
        case 'U2FVersion':
          return 'iso-u2f';
        case 'RequireHash':
        case 'ProfileHash':
        case 'CheckPolicyHash':
          return 'any-hash';
        case 'ArchivePath':
          return '/nonexistent/iso-import.zip';
        case 'ArchivePassword':
          return 'iso-archive-password';
        case 'Archive':
          return Buffer.from('iso-not-a-zip').toString('base64');
        case 'SelfAddress':
        case 'Server':
          return 'http://localhost/';
        case 'Platform':
          return 9;
        // Sign-in and security parameters: probes that can't change anything of B's (and never fail
        // a sign-in of B's admin, whose password the snapshot needs).
        case 'Username':
          return target.user;
        case 'Password':
          return 'hijack-password';
        case 'TOTPCode':
          return '000000';
        case 'SessionKey':
          return 'iso-not-a-session-key';
        case 'Security':
          return { PasswordFormat: 100, Password: '', AllowPasswordLogin: true };
        case 'ChallengeID':
          return 'iso-challenge';
        case 'Credential':
          return '{}';
        case 'ID':
          return 'aXNvLWtleQ==';
        case 'SourceID':
          return 'iso-source';
        case 'Source':
          return spec.kind === 'json' ? { Type: 'ldap', Description: 'hijack', LDAP: { Hostname: '127.0.0.1', Port: 1, SearchDN: 'dc=hijack' } } : 'iso-source';
        // Live connections: B's device (no live connection in this matrix; tests/integration/live-faults.test.ts
        // commands a live device of another tenant).
        case 'TargetID':
        case 'DeviceID':
          return target.device;
        case 'BackupRule':
          return 'iso-rule';
        case 'Destination':
          return 'iso-vault';
        case 'Path':
          return '/tmp/iso-restore';
        case 'NewURL':
          return 'http://127.0.0.1:1/';
        case 'Find':
          return 'https://iso-storage.example.com/';
        case 'Replace':
          return 'https://hijack.example.com/';
        case 'OperationID':
          return 'iso-operation';
        case 'ExtraData':
          return { DestinationType: 1002, LocalcopyPath: '/tmp/iso' };
        case 'RemoveConfigFile':
          return false;
        case 'Sources':
          return {};
        // Console extensions: search for B's user by name, own preferences, another admin's permissions.
        case 'Preferences':
          return '{"PageSize":25}';
        case 'Permissions':
          return { AllowEditBranding: true };
        case 'JobID':
          return target.job;
        // Job searches match everything (whatever comes back must be A's own); text searches look for B's user.
        case 'Query':
          return spec.kind === 'json' ? { ClauseType: 'and', ClauseChildren: [] } : target.user;
        case 'Start':
          return 0;
        case 'End':
          return 4_102_444_800;
        case 'WebhookOptions':
          return {};
        // PSA integrations (issue 18): the caller's own list, replaced by an empty one.
        case 'PSAConfigList':
          return [];
        case 'WebhookID':
          return 'iso-webhook';
        case 'DeliveryID':
          return 1;
        case 'AllowPrivateTargets':
          return false;
        case 'LoginProtection':
          return { Enabled: true, FailureThreshold: 5, CooldownSeconds: 300 };
        // Password policy (issue 20, server-wide, top-level only to change).
        case 'MinLength':
          return 12;
        case 'RejectCommon':
          return true;
        // Email: options and reports of the caller's own organization; a report over every job it may see.
        case 'EmailOptions':
          return { FromEmail: 'hijack@example.com', FromName: 'hijack', Mode: '' };
        case 'Recipient':
          return 'hijack@example.com';
        case 'EmailReportConfig':
          return { ReportType: 1, SummaryFrequency: [], Filter: { ClauseType: 'and', ClauseChildren: [] } };
        // Storage (issue 14): B's bucket is named after B's policy id, so foreign and missing normalise alike.
        case 'BucketID':
          return `bk-${target.policy}`;
        case 'StorageProvider':
          return 'iso-provider';
        case 'RemoteStorageOptions':
          return [];
        case 'TemplateOptions':
          return { Type: 'comet', Description: 'hijack' };
        case 'EmailReportingOption':
          return { EmailReportConfig: { ReportType: 1, SummaryFrequency: [], Filter: { ClauseType: 'and', ClauseChildren: [] } }, LanguageCode: 'en_US', LocalTimezone: 'UTC', Recipients: ['hijack@example.com'] };
        // Update campaigns and the tenant export (both top-level only): a campaign aimed at B's user; an export of B.
        case 'Options':
          if (e.method === 'AdminUpdateCampaignStart') {
            return { Active: true, UpgradeOlder: true, ApplyDeviceFilter: true, DeviceFilter: { ClauseType: '', RuleField: 'Username', RuleOperator: 'str_eq', RuleValue: target.user } };
          }
          if (e.method.endsWith('DispatcherRunRestoreCustom')) return { Type: 0, DestPath: '/tmp/iso-restore' };
          if (e.method === 'AdminOrganizationExport') {
            return { Location: { DestinationType: 1002, LocalcopyPath: '/tmp/iso-export' }, EncryptionKey: 'iso-export-key', RestrictToSingleOrgID: target.org };
          }
          return spec.optional ? undefined : null;
        // Server operations (top-level only): a whole server config, log days.
        case 'Config':
          return {};
        case 'Log':
          return 0;
        case 'Logs':
          return [0];
        // Billing and usage (issue 18): the caller's own report, price list and back-fill.
        case 'Simple':
          return false;
        case 'Format':
          return 'csv';
        case 'Days':
          return 1;
        // Operations overview (issue 20): the caller's own figures.
        case 'OfflineDays':
          return 7;
        case 'PriceList':
          return { Currency: 'EUR', DevicePrice: 1, GBMonthPrice: 1, BoosterPrices: {} };
        // User groups (issue 18): a group of B's (by id, which A cannot see) and B's user as a member.
        case 'GroupID':
          return target.group ?? 'iso-group';
        case 'Group':
          return { Name: 'hijack', OrganizationID: target.org, CreatedAt: 0 };
        case 'Users':
          return [target.user];
        case 'Name':
          return 'hijack';
        // Shared storage quotas (issue 18): B has a quota named after its policy id; A's set creates A's own.
        case 'SharedStorageQuotaID':
          return `sq-${target.policy}`;
        case 'SharedStorageQuota':
          return { Description: 'hijack', OrganizationID: target.org, LimitBytes: 1000 };
        // Dispatcher (issue 15): B's device as the TargetID; vault, snapshot and engine probes.
        case 'DestinationID':
          return 'iso-vault';
        case 'SnapshotID':
          return 'iso-snapshot';
        case 'SnapshotIDs':
          return ['iso-snapshot'];
        case 'Filter':
          return spec.kind === 'json' ? { ClauseType: '', RuleField: 'name', RuleOperator: 'str_eq', RuleValue: 'iso' } : '';
        case 'Credentials':
          return {};
        case 'Wsa':
          return { SharePath: '\\\\iso\\share', Username: 'iso', Password: 'hijack-password', PasswordFormat: 0 };
        case 'Node':
          return 'iso-node';
        case 'EmailAddress':
          return e.path.includes('/dispatcher/') ? 'hijack@example.com' : spec.optional ? undefined : null;
        case 'Continuation':
          return 'iso-continuation';
        case 'ImportSourceID':
          return 'iso-import';
        // News, bulletins, email preview, storage-role conversion (issue 19): B's objects by name or id.
        case 'NewsContent':
        case 'Subject':
        case 'Content':
          return 'hijack news';
        case 'NewsItem':
          return target.news ?? 'iso-news';
        case 'Snapshot':
          return 'iso-snapshot';
        case 'DestinationId':
          return 'iso-vault';
        // Branding (issue 19): A's own branding and uploads; B's resources by a hash A never uploaded.
        case 'BrandingConfig':
          return { BrandName: 'hijack' };
        case 'upload':
          return Buffer.from('hijack').toString('base64');
        case 'Hash':
          return 'e'.repeat(64);
        // Users table bulk actions (issue 20): suspend B's user; the CSV export of B's user only.
        case 'Action':
          return 'suspend';
        case 'Usernames':
          return [target.user];
        default:
          return spec.optional ? undefined : null;
      }
    })();
    if (value === null) throw new Error(`isolation matrix: no probe value for required parameter ${e.method}.${name}; teach paramsFor about it`);
    out[name] = value;
  }
  return out;
}

function mentionsB(text: string): string | undefined {
  return w.bSecrets.find((s) => text.includes(s));
}

beforeAll(async () => {
  await rootClient();
  const a = await makeTenant('iso-a');
  const b = await makeTenant('iso-b');
  const bUser = uniq('buser');
  const profile = sampleProfile(bUser);
  profile.AccountName = uniq('B-private-account');
  profile.Emails = [`${uniq('b-mail')}@example.com`];
  await b.admin.ok('/api/v1/admin/add-user-from-profile', { TargetUser: bUser, ProfileData: profile });
  const bPolicy = (await b.admin.ok('/api/v1/admin/policies/new', { Policy: { Description: uniq('B-private-policy') } })).PolicyID;
  const bGroup = (await b.admin.ok('/api/v1/admin/user-groups/new', { Name: uniq('B-private-group') })).UserGroupID;
  const aUser = await makeUser(a.admin);
  const bNewsText = uniq('B-private-news');
  await b.admin.ok('/api/v1/admin/news/submit', { NewsContent: bNewsText });
  const bNews = Object.keys(await b.admin.ok('/api/v1/admin/news/get-all'))[0];
  // Everything else B owns, so the before/after snapshot has it to protect: a webhook with a secret header
  // (paused, so nothing is delivered meanwhile), an LDAP source, email options with a report, a session.
  const root = await rootClient();
  await root.ok('/api/v1/admin/admin-user/set-permissions', {
    TargetUser: b.adminName,
    Permissions: { AllowEditWebhooks: true, AllowEditEmailOptions: true, AllowEditExternalAuthSources: true, AllowEditRemoteStorage: true },
  });
  await b.admin.ok('/api/v1/admin/storage/register-bucket', { SetBucketValue: `bk-${bPolicy}` });
  await b.admin.ok('/api/v1/admin/squota/set-with-hash', { SharedStorageQuotaID: `sq-${bPolicy}`, SharedStorageQuota: { Description: uniq('B-private-quota'), LimitBytes: 1000 } });
  const bTemplate = uniq('B-template');
  await b.admin.ok('/api/v1/admin/meta/remote-storage-vault/set', { RemoteStorageOptions: [{ Type: 'comet', Description: bTemplate, ID: bTemplate }] });
  // A webhook URL must resolve when it is saved: a loopback receiver that never gets called (paused).
  const restorePrivate = await allowPrivateTargets(true);
  try {
    await b.admin.ok('/api/v1/admin/meta/webhook-options/set', {
      WebhookOptions: { [uniq('b-hook')]: { URL: 'http://127.0.0.1:9/b-tenant-hook', CustomHeaders: { Authorization: `Bearer ${uniq('b-token')}` }, Level: 'none', WhiteListedEventTypes: [] } },
    });
    await b.admin.ok('/api/v1/admin/meta/psa-config-list/set', {
      PSAConfigList: [{ Type: 0, URL: 'http://127.0.0.1:9/b-psa', PartnerKey: uniq('b-psa-key'), CustomHeaders: { 'X-Api-Key': uniq('b-psa-header') }, AlertsDisabled: true, GroupedBy: { Users: true, Tenants: false, AccountName: false } }],
    });
  } finally {
    await restorePrivate();
  }
  await b.admin.ok('/api/v1/admin/external-auth-sources/new', {
    SourceID: uniq('b-ldap'),
    Source: { Type: 'ldap', Description: uniq('B-directory'), LDAP: { Hostname: 'ldap.b-tenant.invalid', Port: 389, SecurityMethod: 'plain', BindUser: 'cn=reader', BindPassword: uniq('b-bind'), SearchDN: 'ou=people,dc=b' } },
  });
  const bReportRecipient = `${uniq('b-ops')}@example.com`;
  await root.ok('/api/v1/admin/meta/email-options/set', {
    TargetOrganization: b.id,
    EmailOptions: {
      FromEmail: 'reports@b-tenant.example',
      FromName: 'B reports',
      Mode: '',
      EmailReportingOptions: [{ EmailReportConfig: { ReportType: 1, SummaryFrequency: [], Filter: { ClauseType: 'and', ClauseChildren: [] } }, LanguageCode: 'en_US', LocalTimezone: 'UTC', Recipients: [bReportRecipient] }],
    },
  });
  await b.admin.ok('/api/v1/admin/account/session-start');
  const bJobDetail = jobDetail(bUser, { Tags: uniq('B-private-tag'), Status: 7002 });
  await seedJobs([bJobDetail], { [bJobDetail.GUID]: [{ Time: bJobDetail.StartTime, Severity: 'E', Message: bJobDetail.Tags }] });
  w = {
    a,
    b,
    bUser,
    bPolicy,
    bGroup,
    bNews,
    bJob: bJobDetail.GUID,
    aUser,
    bSecrets: [bTemplate, b.id, b.name, b.adminName, bUser, bPolicy, profile.AccountName, profile.Emails[0], bJobDetail.GUID, bJobDetail.Tags, bReportRecipient, 'b-tenant-hook', 'b-tenant.invalid', bNewsText],
  };
});

describe('tenant isolation matrix (generated from the registry)', () => {
  it('covers every endpoint in the registry', () => {
    // The matrix walks `endpoints` itself; this pins the count, so an endpoint added to (or lost from) the
    // registry is noticed here, and paramsFor learns its parameters.
    expect(endpoints.length).toBe(ENDPOINT_COUNT);
    expect(new Set(endpoints.map((e) => e.path)).size).toBe(ENDPOINT_COUNT);
  });

  it("B's snapshot covers every table of the schema (or the table is declared server-wide)", async () => {
    expect(await unclassifiedTables()).toEqual([]);
  });

  it.each(endpoints.map((e) => [e.method, e] as const))('%s: tenant A admin cannot reach tenant B', async (_m, e) => {
    const before = await bSnapshot();
    const a = e.auth === 'user' ? client({ username: w.aUser.username, password: w.aUser.password }) : w.a.admin;
    const fresh = uniq('iso');
    const foreign = await a.call(e.path, paramsFor(e, { user: w.bUser, policy: w.bPolicy, org: w.b.id, device: 'dev-1', job: w.bJob, group: w.bGroup, news: w.bNews }, fresh));
    expect(foreign.http).toBe(expectedHttp(e, foreign.body));
    const refused = typeof foreign.body?.Status === 'number' && foreign.body.Status >= 400;
    if (!refused) {
      // Allowed calls (own lists, own properties, own sessions) must carry nothing of B's.
      expect(mentionsB(foreign.text), `${e.method} returned tenant B data`).toBeUndefined();
    } else {
      // A foreign object must look exactly like a missing one.
      const missing = await a.call(e.path, paramsFor(e, { user: MISSING, policy: MISSING, org: MISSING, device: MISSING, job: MISSING, group: MISSING, news: MISSING }, fresh));
      const normalise = (t: string) => t.replaceAll(w.bUser, '<id>').replaceAll(w.bPolicy, '<id>').replaceAll(w.b.id, '<id>').replaceAll(w.bJob, '<id>').replaceAll(w.bGroup, '<id>').replaceAll(w.bNews, '<id>').replaceAll(MISSING, '<id>').replaceAll('dev-1', '<id>');
      expect(normalise(foreign.text), `${e.method}: a foreign object must be answered like a missing one`).toBe(normalise(missing.text));
      expect(mentionsB(foreign.text.replaceAll(w.bUser, '').replaceAll(w.bGroup, '').replaceAll(w.bNews, '').replaceAll(w.bPolicy, '').replaceAll(w.b.id, '').replaceAll(w.bJob, ''))).toBeUndefined();
    }
    expect(await bSnapshot()).toEqual(before);
  });

  it.each(endpoints.filter((e) => e.topLevelOnly).map((e) => [e.method, e] as const))('%s: tenant admins are refused (top-level only)', async (_m, e) => {
    const r = await w.a.admin.call(e.path, paramsFor(e, { user: MISSING, policy: MISSING, org: MISSING, device: MISSING, job: MISSING }));
    expect(r.body.Status).toBe(403);
  });

  it.each(endpoints.filter((e) => e.auth !== 'none').map((e) => [e.method, e] as const))('%s: no, wrong or expired credentials are refused', async (_m, e) => {
    const params = paramsFor(e, { user: w.bUser, policy: w.bPolicy, org: w.b.id, device: 'dev-1', job: w.bJob });
    const attempts: Array<CometClient> = [
      client(null),
      client({ username: w.b.adminName, password: 'wrong-password' }),
      client({ username: w.bUser, password: 'wrong-password' }),
      client({ username: w.b.adminName, sessionKey: 'not-a-real-session-key' }),
    ];
    for (const c of attempts) {
      const r = await c.call(e.path, params);
      expect(r.http).toBe(expectedHttp(e, r.body));
      expect(r.body.Status).toBe(403);
      expect(mentionsB(r.text.replaceAll(w.bUser, '').replaceAll(w.b.adminName, ''))).toBeUndefined();
    }
  });

  it("end users can't use admin endpoints and admins can't use end-user endpoints", async () => {
    const asUser = client({ username: w.aUser.username, password: w.aUser.password });
    for (const e of endpoints.filter((x) => x.auth === 'admin')) {
      expect((await asUser.call(e.path, paramsFor(e, { user: w.aUser.username, policy: MISSING, org: MISSING, device: MISSING, job: MISSING }))).body.Status).toBe(403);
    }
    for (const e of endpoints.filter((x) => x.auth === 'user')) {
      expect((await w.a.admin.call(e.path, paramsFor(e, { user: MISSING, policy: MISSING, org: MISSING, device: MISSING, job: MISSING }))).body.Status).toBe(403);
    }
  });
});
