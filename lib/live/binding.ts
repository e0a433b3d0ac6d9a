// What a device socket is bound to at authentication. Every report and command on that socket uses
// these values; nothing a device sends later can change them.
import type { UserActor } from '../tenancy/actor';

export type DeviceBinding = { tenantId: string; accountId: string; username: string; deviceId: string };

/** The actor recorded on events a device causes (its account). */
export function deviceActor(b: DeviceBinding): UserActor {
  return { kind: 'user', accountId: b.accountId, username: b.username, tenantId: b.tenantId, authMethod: 'None' };
}

/** A frame that refers to another account's or device's object: the socket is closed. */
export class ClaimError extends Error {}
