// Issue 20 (one rule set): organization/set checks an Organization's Email exactly as email-options/set checks
// EmailOptions (lib/email/validate-email-options.ts): the same Status, the same words (the field named where it
// arrived), nothing stored, no tenant created; and its Branding by branding-config/set's value rules (colours,
// http(s) URLs, lengths). The tenant form sends its From and branding fields this way (console case in
// field-errors-console.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { CometClient } from '../helpers/comet-client';
import { makeTenant, rootClient, uniq, type TenantFixture } from '../helpers/fixtures';

let root: CometClient;
let tenant: TenantFixture;

beforeAll(async () => {
  root = await rootClient();
  tenant = await makeTenant('org-email');
  await root.ok('/api/v1/admin/organization/set', {
    OrganizationID: tenant.id,
    Organization: { Name: tenant.name, Hosts: [], Email: { FromName: 'Acme Backup', FromEmail: 'backup@acme.example' } },
  });
}, 60_000);

async function organization(): Promise<Record<string, unknown>> {
  return (await root.ok('/api/v1/admin/organization/list'))[tenant.id];
}

/** Both endpoints refuse `email` for the tenant: Status and message, the field named where the options arrived. */
async function refusedAlike(email: Record<string, unknown>): Promise<string> {
  const viaEmail = await root.fails('/api/v1/admin/meta/email-options/set', { EmailOptions: email, TargetOrganization: tenant.id });
  const before = await organization();
  const viaOrg = await root.fails('/api/v1/admin/organization/set', { OrganizationID: tenant.id, Organization: { ...before, Email: { ...(before.Email as object), ...email } } });
  expect(viaOrg.Status).toBe(400);
  expect(viaEmail.Status).toBe(400);
  expect(viaOrg.Message).toBe(viaEmail.Message.replaceAll('EmailOptions.', 'Organization.Email.'));
  // Nothing of the refused change is kept.
  expect(await organization()).toEqual(before);
  return viaOrg.Message;
}

describe('organization/set refuses the Email options email-options/set refuses', () => {
  it('a From address without a dotted domain, named as the Organization field', async () => {
    expect(await refusedAlike({ FromEmail: 'ops@localhost' })).toBe("Organization.Email.FromEmail 'ops@localhost' is not an email address");
  });

  it('a From name on two lines, an unknown or unsupported Mode, a port out of range, SMTP without a host', async () => {
    expect(await refusedAlike({ FromName: 'Acme\r\nBcc: someone@example.com' })).toMatch(/^Organization\.Email\.FromName must be one line/);
    expect(await refusedAlike({ Mode: 'builtin' })).toMatch(/'builtin'/);
    expect(await refusedAlike({ Mode: 'carrier-pigeon' })).toMatch(/'carrier-pigeon' is not an EmailDeliveryType/);
    expect(await refusedAlike({ Mode: 'smtp', SMTPHost: 'smtp.example.com', SMTPPort: 70000 })).toMatch(/SMTPPort must be 0 to 65535/);
    expect(await refusedAlike({ Mode: 'smtp', SMTPHost: ' ' })).toMatch(/^Organization\.Email\.SMTPHost is required/);
  });

  it('an admin report with a recipient that is no email address', async () => {
    const report = { EmailReportConfig: { ReportType: 0, SummaryFrequency: [], Filter: { ClauseType: 'and', ClauseChildren: [] } }, Recipients: ['not-an-address'] };
    expect(await refusedAlike({ EmailReportingOptions: [report] })).toMatch(/Organization\.Email\.EmailReportingOptions\[0\]\.Recipients: 'not-an-address' is not an email address/);
  });

  it('a new organization with bad Email options is not created', async () => {
    const name = uniq('org-email-new');
    const refused = await root.fails('/api/v1/admin/organization/set', { Organization: { Name: name, Hosts: [], Email: { FromEmail: 'nobody' } } });
    expect(refused).toMatchObject({ Status: 400, Message: "Organization.Email.FromEmail 'nobody' is not an email address" });
    const names = Object.values(await root.ok('/api/v1/admin/organization/list')).map((o) => (o as { Name: string }).Name);
    expect(names).not.toContain(name);
  });

  it('good options are saved; an Organization without Email is not checked for it', async () => {
    const before = await organization();
    const saved = await root.ok('/api/v1/admin/organization/set', {
      OrganizationID: tenant.id,
      Organization: { ...before, Email: { ...(before.Email as object), FromName: 'Acme Ops', FromEmail: 'ops@acme.example' } },
    });
    expect(saved.Organization.Email).toMatchObject({ FromName: 'Acme Ops', FromEmail: 'ops@acme.example' });
    const { Email: _email, ...withoutEmail } = await organization();
    expect((await root.ok('/api/v1/admin/organization/set', { OrganizationID: tenant.id, Organization: { ...withoutEmail, Name: `${tenant.name}-renamed` } })).Organization.Name).toBe(`${tenant.name}-renamed`);
  });

  it('a tenant admin may not call organization/set at all (403), and meets the same check in email-options/set', async () => {
    const refused = await tenant.admin.fails('/api/v1/admin/organization/set', { OrganizationID: tenant.id, Organization: { Name: tenant.name, Email: { FromEmail: 'ops@localhost' } } });
    expect(refused.Status).toBe(403);
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: tenant.adminName, Permissions: { AllowEditEmailOptions: true } });
    const own = await tenant.admin.fails('/api/v1/admin/meta/email-options/set', { EmailOptions: { FromEmail: 'ops@localhost' } });
    expect(own).toMatchObject({ Status: 400, Message: "EmailOptions.FromEmail 'ops@localhost' is not an email address" });
  });
});

describe('organization/set refuses the Branding values branding-config/set refuses', () => {
  it('a colour, a help URL that is no http(s) address, a name too long: the same words, the Organization field named', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ TopColor: 'red' }, 'Branding.TopColor must be a colour like #1f2937'],
      [{ HelpURL: 'ftp://help.acme.example/' }, 'Branding.HelpURL must be an http:// or https:// address'],
      [{ BrandName: 'x'.repeat(256) }, 'Branding.BrandName is longer than 255 characters'],
    ];
    await root.ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: tenant.adminName, Permissions: { AllowEditEmailOptions: true, AllowEditBranding: true } });
    for (const [branding, words] of cases) {
      const before = await organization();
      const viaOrg = await root.fails('/api/v1/admin/organization/set', { OrganizationID: tenant.id, Organization: { ...before, Branding: { ...(before.Branding as object), ...branding } } });
      expect(viaOrg).toEqual({ Status: 400, Message: `Organization.${words}` });
      // The tenant's own admin meets the same rule through branding-config/set.
      const viaConfig = await tenant.admin.fails('/api/v1/admin/meta/branding-config/set', { BrandingConfig: branding });
      expect(viaConfig).toEqual({ Status: 400, Message: words.replace(/^Branding\./, '') });
      expect(await organization()).toEqual(before);
    }
    const before = await organization();
    const saved = await root.ok('/api/v1/admin/organization/set', { OrganizationID: tenant.id, Organization: { ...before, Branding: { BrandName: 'Acme', TopColor: '#123456', HelpURL: 'https://help.acme.example/' } } });
    expect(saved.Organization.Branding).toMatchObject({ BrandName: 'Acme', TopColor: '#123456', HelpURL: 'https://help.acme.example/' });
  });
});
