// Comet's dispatcher/email-preview for admins (a live connection in scope) and end users (their own
// device's connection). Domain: lib/live/preview-backed-up-email.ts, which explains why it always ends in
// a specific error on this server (no mailbox backups).
import { previewBackedUpEmail } from '../../live/preview-backed-up-email';
import { p } from '../params';
import { defineEndpoint } from '../registry';

const params = { TargetID: p.string(), Snapshot: p.string(), Destination: p.string(), Path: p.string() };

export const emailPreviewEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/email-preview',
    method: 'AdminDispatcherEmailPreview',
    summary: 'The HTML of one backed-up email, read by the live device (no mailbox backups on Halley: a specific error)',
    auth: 'admin',
    params,
    returns: 'EmailReportGeneratedPreview',
    handler: ({ actor, params: q }) => previewBackedUpEmail({ actor, targetId: q.TargetID, snapshot: q.Snapshot, destination: q.Destination, path: q.Path }),
  }),
  defineEndpoint({
    path: '/api/v1/user/dispatcher/email-preview',
    method: 'UserDispatcherEmailPreview',
    summary: "The HTML of one backed-up email on the user's own device (no mailbox backups on Halley: a specific error)",
    auth: 'user',
    params,
    returns: 'EmailReportGeneratedPreview',
    handler: ({ actor, params: q }) => previewBackedUpEmail({ actor, targetId: q.TargetID, snapshot: q.Snapshot, destination: q.Destination, path: q.Path }),
  }),
];
