// Which reports exist and who receives them:
// - admin reports: EmailOptions.EmailReportingOptions of an organization (the server's cover every
//   tenant, a tenant's cover that tenant), with their own Recipients, LanguageCode and LocalTimezone;
// - user reports: for an account with SendEmailReports and Emails, each address gets
//   OverrideEmailSettings[address].Reports when present, else the policy's DefaultEmailReports.Reports
//   when ShouldOverrideDefaultReports, else Halley's default (one immediate report for every job). They
//   cover that account's jobs, in the profile's LanguageCode and LocalTimezone.
// Each report has a stable key ("admin:<tenant>:<n>", "user:<account>:<n>") used for idempotency and
// for its job schedulers.
import { createHash } from 'node:crypto';
import type { JobScope } from '../backup-jobs/job-query';
import { db } from '../db/client';
import type { JsonObject } from '../profile/mapper';
import { tenantViewer } from '../tenancy/actor';
import { accountRowsScope, tenantWhere } from '../tenancy/scope';
import { storedEmailOptions } from './stored-email-options';
import { ReportType, type EmailReportConfig } from './report-types';

export type ReportSpec = {
  key: string;
  source: 'admin' | 'user';
  tenantId: string;
  accountId?: string;
  scope: JobScope;
  config: EmailReportConfig;
  recipients: string[];
  languageCode: string;
  timeZone: string;
  accountLabel?: string;
};

export const DEFAULT_USER_REPORTS: EmailReportConfig[] = [{ ReportType: ReportType.IMMEDIATE, SummaryFrequency: [], Filter: { ClauseType: 'and', ClauseChildren: [] } }];

/** What an organization-wide report covers: the jobs the tenant's admins see (the top level: every tenant's). */
export function adminScope(tenantId: string): JobScope {
  return tenantWhere(tenantViewer(tenantId));
}

export async function adminReports(tenantId: string): Promise<ReportSpec[]> {
  const tenant = await db().tenant.findUnique({ where: { id: tenantId }, select: { id: true, data: true, secrets: true } });
  if (!tenant) return [];
  const options = storedEmailOptions(tenant, false);
  return (options.EmailReportingOptions ?? []).map((o, n) => ({
    key: `admin:${tenantId}:${n}`,
    source: 'admin' as const,
    tenantId,
    scope: adminScope(tenantId),
    config: o.EmailReportConfig ?? {},
    recipients: [...new Set((o.Recipients ?? []).filter(Boolean))],
    languageCode: o.LanguageCode ?? '',
    timeZone: o.LocalTimezone ?? '',
  }));
}

export type AccountForReports = {
  id: string;
  tenantId: string;
  username: string;
  accountName: string;
  emails: string[];
  sendEmailReports: boolean;
  languageCode: string;
  localTimezone: string;
  data: unknown;
};

export const ACCOUNT_REPORT_SELECT = {
  id: true, tenantId: true, username: true, accountName: true, emails: true, sendEmailReports: true, languageCode: true, localTimezone: true, data: true,
} as const;

/** The reports of one account (empty when SendEmailReports is off or it has no address). */
export function userReports(account: AccountForReports): ReportSpec[] {
  if (!account.sendEmailReports) return [];
  const emails = [...new Set(account.emails.map((e) => e.trim()).filter(Boolean))];
  if (!emails.length) return [];
  const data = (account.data ?? {}) as JsonObject;
  const overrides = (data.OverrideEmailSettings ?? {}) as Record<string, { Reports?: EmailReportConfig[] | null } | undefined>;
  const policy = ((data.Policy ?? {}) as JsonObject).DefaultEmailReports as { ShouldOverrideDefaultReports?: boolean; Reports?: EmailReportConfig[] | null } | undefined;
  const defaults = policy?.ShouldOverrideDefaultReports ? (policy.Reports ?? []) : DEFAULT_USER_REPORTS;
  const base = {
    source: 'user' as const,
    tenantId: account.tenantId,
    accountId: account.id,
    scope: accountRowsScope(account),
    languageCode: account.languageCode,
    timeZone: account.localTimezone,
    accountLabel: account.accountName ? `${account.accountName} (${account.username})` : account.username,
  };
  const specs: Omit<ReportSpec, 'key'>[] = [];
  const plain = emails.filter((e) => !overrides[e]);
  if (plain.length) for (const config of defaults) specs.push({ ...base, config, recipients: plain });
  for (const e of emails) for (const config of overrides[e]?.Reports ?? []) specs.push({ ...base, config, recipients: [e] });
  return specs.map((s, n) => ({ ...s, key: `user:${account.id}:${n}` }));
}

export async function accountReports(accountId: string): Promise<ReportSpec[]> {
  // tenancy: system — worker: the account a queued report names, by id
  const account = await db().account.findUnique({ where: { id: accountId }, select: ACCOUNT_REPORT_SELECT });
  return account ? userReports(account) : [];
}

/** Short digest of what a scheduler depends on: a changed report gets a new scheduler id. */
export function specDigest(spec: ReportSpec, extra: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([spec.config, spec.recipients, spec.languageCode, spec.timeZone, extra]))
    .digest('base64url')
    .slice(0, 12);
}
