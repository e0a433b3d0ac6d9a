// The one relay step every issue-15 dispatcher command shares: find the live connection within the caller's
// scope (a foreign one answers exactly like a missing one: Comet's 403 "Unauthorised"), let the command check
// what it names against the device's account, send it, and hand back the device's answer.
import { NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { TCommand, TCommandResult } from '../live/protocol';
import { relay } from '../live/relay';
import { sendCommand, type DispatchActor } from '../live/send-command';
import { canSee } from '../tenancy/can-see';

export type DispatchTarget = { actor: DispatchActor; targetId: string };

/** Sends the command `build` returns to the caller's live connection `targetId`; a device refusal is an error with its message. */
export async function askDevice(opts: DispatchTarget & { build: (target: { accountId: string }) => Promise<TCommand> | TCommand }): Promise<TCommandResult & { data: Record<string, unknown> }> {
  const conn = await relay().commandTarget(opts.targetId);
  if (!conn || !canSee(opts.actor, conn.tenantId, conn.accountId)) throw new NotFoundError(apiMessage('unauthorised'), 403);
  const cmd = await opts.build(conn);
  const result = await sendCommand(conn, cmd);
  return { ...result, data: result.data ?? {} };
}
