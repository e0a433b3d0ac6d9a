// Comet's dispatcher/email-preview (admin and end user): the HTML of one email inside a mailbox backup
// (Microsoft 365), read by the live device from a snapshot, when the device has consented to MSP
// browsing. Halley's agent protocol (lib/live/protocol.ts) has no mailbox engine and no mail-browse
// command, so no snapshot can hold such an email: after the same checks Comet makes (the live connection
// in the caller's scope, answered 403 "Unauthorised" otherwise; the vault on the device's account) the
// call answers a specific, documented error instead of pretending to have found nothing.
import { BadRequestError, NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { canSee } from '../tenancy/can-see';
import { relay } from './relay';
import { requireVault } from './require-vault';
import type { DispatchActor } from './send-command';

type TEmailPreview = { Status: number; Message: string; From: string; To: string[]; EmailSubject: string; EmailBodyHTML: string; EmailBodyPlaintext: string };

export async function previewBackedUpEmail({ actor, targetId, snapshot, destination, path }: { actor: DispatchActor; targetId: string; snapshot: string; destination: string; path: string }): Promise<TEmailPreview> {
  const conn = await relay().commandTarget(targetId);
  if (!conn || !canSee(actor, conn.tenantId, conn.accountId)) throw new NotFoundError(apiMessage('unauthorised'), 403);
  if (snapshot.trim() === '') throw new BadRequestError(apiMessage('missingParam', { name: 'Snapshot' }));
  if (path.trim() === '') throw new BadRequestError(apiMessage('missingParam', { name: 'Path' }));
  await requireVault(conn.accountId, destination);
  throw new BadRequestError(apiMessage('emailPreviewUnsupported'));
}
