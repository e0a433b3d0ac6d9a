import type { AdminActor } from '../tenancy/actor';
import { canSee } from '../tenancy/can-see';
import { NotFoundError } from '../errors';
import { relay, type LobbyInfo } from './relay';
import { apiMessage } from '../i18n/api-messages';

/** A device waiting in the registration lobby that the admin may see; another tenant's looks missing. */
export async function findLobbyDevice(actor: AdminActor, deviceId: string): Promise<LobbyInfo> {
  const found = (await relay().listLobby()).find((l) => l.deviceId === deviceId && canSee(actor, l.tenantId));
  if (!found) throw new NotFoundError(apiMessage('deviceNotInLobby', { id: deviceId.slice(0, 100) }));
  return found;
}
