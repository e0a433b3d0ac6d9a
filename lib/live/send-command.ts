// Sending one command to a device connection (on whichever web node holds it) and reading its answer.
import type { AdminActor, UserActor } from '../tenancy/actor';
import { AppError } from '../errors';
import { observeCommand } from '../metrics/series';
import type { TCommand, TCommandResult } from './protocol';
import { DeviceUnreachableError, relay } from './relay';
import { apiMessage, apiMessageWithEnglish } from '../i18n/api-messages';

/** How long a device has to answer a command (it answers as soon as it has started the work). */
export const COMMAND_TIMEOUT_MS = 30_000;

/** Who may act on live devices: admins (their tenant's, or every one at the top level) and end users (their own). */
export type DispatchActor = AdminActor | UserActor;

export type DispatchOutcome = { Status: number; Message: string; JobID?: string };

/** Sends `cmd` and waits for the device's answer; a refusal or no answer is an error with the device's message. */
export async function sendCommand(conn: { connectionId: string; node: string }, cmd: TCommand, timeoutMs = COMMAND_TIMEOUT_MS): Promise<TCommandResult> {
  let result: TCommandResult;
  try {
    result = await observeCommand(cmd.type, relay().command(conn, cmd, timeoutMs));
  } catch (err) {
    if (err instanceof DeviceUnreachableError) throw new AppError(503, apiMessage('deviceNoAnswer', { reason: err.translatable }));
    throw err;
  }
  // The device's own words stay verbatim (English: exactly them), after a translated lead-in.
  if (!result.ok) throw new AppError(500, result.message ? apiMessageWithEnglish('deviceReported', { text: result.message.slice(0, 500) }, result.message) : apiMessage('deviceReportedError'));
  return result;
}
