// admin/request-storage-vault and user/web/request-storage-vault: provisions a new Storage Vault for an
// account from one of its organization's Storage Templates (StorageProvider = the template's ID) and adds
// it to the profile (hash-checked with ProfileHash when given). The template's storage limit becomes the
// vault's quota. If anything fails after the storage was made (the profile changed meanwhile, the policy
// refuses a custom provisioner's answer, ...), what was made is removed again and the error says why.
// End users are bound by their policy (request-policy.ts); admins by PreventRequestStorageVault.
// DeviceID (optional, as in Comet) names one of the account's registered devices: the vault is made for
// it (DestinationConfig.AssociatedDevices); a device the account does not have is refused before anything
// is provisioned.
import { randomUUID } from 'node:crypto';
import { db } from '../../db/client';
import { AppError, BadRequestError, ForbiddenError } from '../../errors';
import { log } from '../../log';
import { isTargetRefused } from '../../net/outbound-guard';
import type { AdminActor, UserActor } from '../../tenancy/actor';
import { findOwnAccount, findVisibleAccount } from '../../users/find-account';
import { profileAndHash } from '../../users/profile-hash';
import { replaceProfile } from '../../users/set-user-profile';
import { openTemplateOf, templateNotFound } from './find-template';
import { provisionVault } from './provision-vault';
import type { Provisioned } from './provisioned';
import { destinationAllowedByPolicy, templateAllowedByPolicy } from './request-policy';
import { apiMessage } from '../../i18n/api-messages';
import { failureCause } from '../../i18n/failure-cause';

type TRequestStorageVaultResponse = { Status: number; Message: string; DestinationID: string; ProfileHash: string; Profile: Record<string, unknown> };

type RequestInput = {
  actor: AdminActor | UserActor;
  /** Admins: TargetUser. */
  username?: string;
  storageProvider: string;
  selfAddress: string;
  profileHash?: string;
  /** DeviceID: the account's device the vault is for ("" or absent: none). */
  deviceId?: string;
  /** The server requests it itself (a vault for a newly registered device): the user's request policy does not apply. */
  automatic?: boolean;
};

export async function requestStorageVault(input: RequestInput): Promise<TRequestStorageVaultResponse> {
  const { actor } = input;
  if (actor.kind === 'admin' && actor.permissions.PreventRequestStorageVault === true) throw new ForbiddenError(apiMessage('requestVaultNotAllowed'));
  const account = actor.kind === 'admin' ? await findVisibleAccount(db(), actor, input.username ?? '') : await findOwnAccount(db(), actor);
  const current = profileAndHash(account);
  const policy = (current.profile.Policy as Record<string, any> | undefined) ?? {};
  const template = await openTemplateOf(account.tenantId, input.storageProvider);
  if (!template) throw templateNotFound(input.storageProvider);
  if (actor.kind === 'user' && !input.automatic) {
    const why = templateAllowedByPolicy(policy, String(template.Type));
    if (why) throw new ForbiddenError(why);
  }
  const deviceId = (input.deviceId ?? '').trim();
  if (deviceId !== '') {
    // tenancy: derived — the account was found in the caller's scope just above
    const device = await db().device.findFirst({ where: { tenantId: account.tenantId, accountId: account.id, deviceId }, select: { id: true } });
    if (!device) throw new BadRequestError(apiMessage('deviceNotRegisteredToUser', { id: deviceId.slice(0, 100), username: account.username }));
  }
  if (input.profileHash !== undefined && input.profileHash !== '' && input.profileHash !== current.hash) {
    throw new AppError(409, apiMessage('profileChangedSinceRead'));
  }

  let made: Provisioned;
  try {
    made = await provisionVault(template, { actor, tenantId: account.tenantId, username: account.username, selfAddress: input.selfAddress });
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (!isTargetRefused(err)) log.warn({ err, template: template.ID }, 'storage provisioning failed');
    // Known causes in the caller's language; a far service's own words verbatim, quoted.
    throw new BadRequestError(apiMessage('provisioningFailed', { template: String(template.Description).slice(0, 100), reason: failureCause(err) }));
  }
  try {
    if (actor.kind === 'user' && !input.automatic) {
      const why = destinationAllowedByPolicy(policy, Number(made.location.DestinationType));
      if (why) throw new ForbiddenError(why);
    }
    const destinationId = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const destination = {
      ...made.location,
      Description: String(template.Description),
      CreateTime: now,
      ModifyTime: now,
      StorageLimitEnabled: template.StorageLimitEnabled === true,
      StorageLimitBytes: template.StorageLimitEnabled === true ? Number(template.StorageLimitBytes ?? 0) : 0,
      RebrandStorage: template.RebrandStorage === true,
      ...(deviceId !== '' ? { AssociatedDevices: [deviceId] } : {}),
    };
    const owner = actor.kind === 'admin' ? { actor, username: account.username } : { actor };
    const saved = await replaceProfile({
      ...owner,
      profile: {},
      requireHash: current.hash,
      restrict: (stored) => ({ ...stored, Destinations: { ...((stored.Destinations as Record<string, unknown> | null) ?? {}), [destinationId]: destination } }),
    });
    return { Status: 200, Message: 'OK', DestinationID: destinationId, ProfileHash: saved.hash, Profile: saved.profile };
  } catch (err) {
    await made.undo().catch((undoErr) => log.error({ err: undoErr, template: template.ID }, 'could not remove the storage of a failed vault request'));
    throw err;
  }
}
