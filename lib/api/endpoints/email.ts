// Outgoing email settings, test sends and report previews (Comet's email area), plus Halley's report
// preview and delivery log for the console.
import { listDeliveries } from '../../email/deliveries';
import { getEmailOptions } from '../../email/get-email-options';
import { setEmailOptions } from '../../email/set-email-options';
import { previewAdminReport, previewUserEmailReport, sendTestEmail, sendTestReport } from '../../email/preview-and-test';
import type { EmailOptions, EmailReportConfig, EmailReportingOption } from '../../email/report-types';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

const targetOrg = () => p.string().topLevel().describe('Halley: a tenant to act on (top-level administrators); default the caller’s organization').halley();

export const emailEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/meta/email-options/get',
    method: 'AdminMetaEmailOptionsGet',
    summary: "Outgoing email settings of the caller's organization (top level: the server's); SMTPPassword is never returned",
    auth: 'admin',
    permission: 'email.edit',
    params: { TargetOrganization: targetOrg() },
    returns: 'EmailOptions',
    handler: ({ actor, params }) => getEmailOptions({ actor, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/email-options/set',
    method: 'AdminMetaEmailOptionsSet',
    summary: "Write outgoing email settings; a tenant admin may change From fields and admin reports, not the SMTP server",
    auth: 'admin',
    permission: 'email.edit',
    params: { EmailOptions: p.json<EmailOptions>('EmailOptions'), TargetOrganization: targetOrg() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      // Scheduled admin reports start right away; if Redis is unreachable the workers' periodic run catches up.
      await setEmailOptions({ actor, options: params.EmailOptions, targetOrganization: params.TargetOrganization });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/send-test-email',
    method: 'AdminMetaSendTestEmail',
    summary: 'Send a test message using the supplied email settings',
    auth: 'admin',
    permission: 'email.edit',
    params: { EmailOptions: p.json<EmailOptions>('EmailOptions'), Recipient: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await sendTestEmail({ actor, options: params.EmailOptions, recipient: params.Recipient });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/send-test-report',
    method: 'AdminMetaSendTestReport',
    summary: 'Email a sample of an admin report configuration to its Recipients now',
    auth: 'admin',
    permission: 'email.edit',
    params: { EmailReportingOption: p.json<EmailReportingOption>('EmailReportingOption'), TargetOrganization: p.string().topLevel().opt() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await sendTestReport({ actor, option: params.EmailReportingOption, targetOrganization: params.TargetOrganization });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/preview-user-email-report',
    method: 'AdminPreviewUserEmailReport',
    summary: "Render a user email report (HTML and text) without sending it, in the user's language and time zone",
    auth: 'admin',
    params: { TargetUser: p.string(), EmailReportConfig: p.json<EmailReportConfig>('EmailReportConfig'), EmailAddress: p.string().opt() },
    returns: 'EmailReportGeneratedPreview',
    handler: ({ actor, params }) => previewUserEmailReport({ actor, username: params.TargetUser, config: params.EmailReportConfig, emailAddress: params.EmailAddress }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/email-report/preview',
    method: 'HalleyAdminMetaEmailReportPreview',
    summary: "Halley: render an admin report (EmailReportingOption) of the caller's organization without sending it",
    auth: 'admin',
    // Same gate as send-test-report: a report configuration is part of the email options.
    permission: 'email.edit',
    extension: true,
    params: { EmailReportingOption: p.json<EmailReportingOption>('EmailReportingOption'), TargetOrganization: p.string().topLevel().opt() },
    returns: 'EmailReportGeneratedPreview',
    handler: ({ actor, params }) => previewAdminReport({ actor, option: params.EmailReportingOption, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/email-deliveries',
    method: 'HalleyAdminMetaEmailDeliveries',
    summary: 'Halley: recent report emails (newest first) with their delivery status, attempts and last error',
    auth: 'admin',
    // Recipients, subjects, bodies and SMTP errors of the email settings: AllowEditEmailOptions, as in Comet's email area.
    permission: 'email.edit',
    extension: true,
    params: {
      Limit: p.int().describe('1 to 1,000 (default 100)').opt(),
      DeliveryStatus: p.string().describe('pending, retrying, sent, failed or skipped').opt(),
      TargetOrganization: p.string().topLevel().opt(),
    },
    returns: 'HalleyEmailDeliveries',
    handler: ({ actor, params, request }) => listDeliveries({ actor, limit: params.Limit, status: params.DeliveryStatus, targetOrganization: params.TargetOrganization, locale: request.locale }),
  }),
];
