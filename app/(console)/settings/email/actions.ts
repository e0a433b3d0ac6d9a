'use server';
// Settings → Email: outgoing email options, admin reports (EmailReportingOptions), previews, test sends
// and the delivery log, all through the admin API (TargetOrganization for a top-level admin acting on a
// tenant). Reports are edited by position with the version the editor started from, so a report changed
// by someone else meanwhile is not overwritten.
import { revalidatePath } from 'next/cache';
import type { EmailOptionsWire, ReportOption } from '@/lib/adapters/console/email-reports';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export type EmailPreview = { From: string; To: string[] | null; EmailSubject: string; EmailBodyHTML: string; EmailBodyPlaintext: string };
export type EmailDeliveryRow = {
  ID: string;
  OrganizationID: string;
  Report: string;
  ReportType: number;
  Recipient: string;
  Occurrence: string;
  DeliveryStatus: 'pending' | 'retrying' | 'sent' | 'failed' | 'skipped';
  Attempts: number;
  LastError: string;
  Subject: string;
  LanguageCode: string;
  Created: number;
  Sent: number;
};

const target = (org: string) => (org ? { TargetOrganization: org } : {});

async function readOptions(org: string): Promise<ActionResult<EmailOptionsWire>> {
  return apiAction<EmailOptionsWire>('/api/v1/admin/meta/email-options/get', target(org));
}

async function writeOptions(org: string, options: EmailOptionsWire): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/meta/email-options/set', { EmailOptions: options, ...target(org) });
  if (res.ok) revalidatePath('/settings/email');
  return res;
}

/** Saves the sender and SMTP fields; the admin reports stored now are kept as they are. */
export async function saveEmailOptions(org: string, fields: Omit<EmailOptionsWire, 'EmailReportingOptions'>): Promise<ActionResult> {
  const current = await readOptions(org);
  if (!current.ok) return current;
  return writeOptions(org, { ...current.data, ...fields, EmailReportingOptions: current.data.EmailReportingOptions ?? [] });
}

export async function sendTestEmail(fields: Omit<EmailOptionsWire, 'EmailReportingOptions'>, recipient: string): Promise<ActionResult> {
  return apiAction('/api/v1/admin/meta/send-test-email', { EmailOptions: fields, Recipient: recipient.trim() });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Adds a report (index -1) or replaces report `index`, which must still be `before` (what the editor
 * opened). Returns the report's position.
 */
export async function saveReport(org: string, index: number, before: ReportOption | null, option: ReportOption, changedMessage: string): Promise<ActionResult<{ index: number }>> {
  const current = await readOptions(org);
  if (!current.ok) return current;
  const reports = [...(current.data.EmailReportingOptions ?? [])];
  if (index >= 0) {
    if (!same(reports[index], before)) return { ok: false, message: changedMessage, status: 409 };
    reports[index] = option;
  } else {
    reports.push(option);
  }
  const res = await writeOptions(org, { ...current.data, EmailReportingOptions: reports });
  return res.ok ? { ok: true, data: { index: index >= 0 ? index : reports.length - 1 } } : res;
}

export async function deleteReport(org: string, index: number, before: ReportOption, changedMessage: string): Promise<ActionResult> {
  const current = await readOptions(org);
  if (!current.ok) return current;
  const reports = [...(current.data.EmailReportingOptions ?? [])];
  if (!same(reports[index], before)) return { ok: false, message: changedMessage, status: 409 };
  reports.splice(index, 1);
  return writeOptions(org, { ...current.data, EmailReportingOptions: reports });
}

export async function previewReport(org: string, option: ReportOption): Promise<ActionResult<EmailPreview>> {
  return apiAction<EmailPreview>('/api/v1/admin/meta/email-report/preview', { EmailReportingOption: option, ...target(org) });
}

export async function sendTestReport(org: string, option: ReportOption): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/meta/send-test-report', { EmailReportingOption: option, ...target(org) });
  if (res.ok) revalidatePath('/settings/email');
  return res;
}
