// Halley: move a user account, with its devices, storage vaults, protected items, schedules and job
// history, to another tenant (top-level admins only; Comet has no API for this). The account's policy
// is cleared when it belongs to the old tenant, and its end-user sessions end. Devices must then use the
// new tenant's address: after the move, the caller has lib/live re-point the connected ones
// (repointTransferredDevices: update-login-url, and they reconnect bound to the new tenant) and lists the
// others, so the admin can re-point them by hand.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';
import { BadRequestError } from '../errors';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { requireTopLevel, targetTenant, tenantWhere } from '../tenancy/scope';
import { userNotFound } from './find-account';
import { apiMessage } from '../i18n/api-messages';

/** The moved account, its new tenant and its devices (what re-pointing the live devices needs). */
type TransferredUser = { accountId: string; tenantId: string; devices: Array<{ DeviceID: string; FriendlyName: string }> };

export async function transferUser({ actor, username, targetOrganization }: { actor: AdminActor; username: string; targetOrganization: string }): Promise<TransferredUser> {
  requireTopLevel(actor);
  const target = await targetTenant(actor, targetOrganization);
  const moved = await db().$transaction(async (tx) => {
    const account = await tx.account.findFirst({
      where: { username, ...tenantWhere(actor) },
      select: { id: true, tenantId: true, policyId: true, devices: { select: { deviceId: true, friendlyName: true }, orderBy: { position: 'asc' } } },
    });
    if (!account) throw userNotFound(username);
    if (account.tenantId === target) throw new BadRequestError(apiMessage('userAlreadyInOrganization', { username }));
    // tenancy: derived — top-level only; the account was found with tenantWhere, the target is targetTenant(...)
    const policyStays = account.policyId !== '' && (await tx.policy.count({ where: { id: account.policyId, tenantId: target } })) > 0;
    const move = { where: { accountId: account.id }, data: { tenantId: target } };
    await tx.device.updateMany(move);
    // tenancy: derived — top-level only; the account was found with tenantWhere, the target is targetTenant(...)
    await tx.storageVault.updateMany(move);
    await tx.protectedItem.updateMany(move);
    await tx.backupRule.updateMany(move);
    // tenancy: derived — top-level only; the account was found with tenantWhere, the target is targetTenant(...)
    await tx.job.updateMany(move);
    await tx.session.updateMany({ where: { accountId: account.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.account.update({ where: { id: account.id }, data: { tenantId: target, ...(policyStays ? {} : { policyId: '' }) } });
    const data = { Username: username, FromOrganizationID: wireOrganizationId(account.tenantId), ToOrganizationID: wireOrganizationId(target) };
    await emitEvent(tx, actor, { tenantId: account.tenantId, type: SEVT.SEVT_ACCOUNT_REMOVED, resourceId: username, data: { ...data, Transferred: true } });
    await emitEvent(tx, actor, { tenantId: target, type: SEVT.SEVT_ACCOUNT_NEW, resourceId: username, data: { ...data, Transferred: true } });
    return { accountId: account.id, devices: account.devices.map((d) => ({ DeviceID: d.deviceId, FriendlyName: d.friendlyName })) };
  });
  return { ...moved, tenantId: target };
}
