import type { AdminActor } from '../tenancy/actor';
import { findLobbyDevice } from './find-lobby-device';
import { sendCommand, type DispatchOutcome } from './send-command';

/** AdminInstallationDispatchDropConnection: disconnects a device waiting in the registration lobby. */
export async function dropLobbyConnection({ actor, deviceId }: { actor: AdminActor; deviceId: string }): Promise<DispatchOutcome> {
  const lobby = await findLobbyDevice(actor, deviceId);
  await sendCommand(lobby, { type: 'drop-connection' });
  return { Status: 200, Message: 'OK' };
}
