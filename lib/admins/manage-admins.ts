import { hashPassword } from '../credentials/password';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, isUniqueViolation } from '../db/client';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { targetTenant, requireTopLevel } from '../tenancy/scope';
import { validateUsername } from '../users/validate-username';
import { checkNewPassword } from '../validation/check-new-password';
import { ADMIN_DTO_SELECT, allowedAdminUser, securityOptions } from './admin-dto';
import { shapeWire } from '../profile/mapper';
import { wireOrganizationId } from '../tenancy/actor';
import { apiMessage } from '../i18n/api-messages';

/** AdminAdminUserList (top-level only): every administrator, secrets left out. */
export async function listAdmins({ actor }: { actor: AdminActor }) {
  requireTopLevel(actor);
  // tenancy: top-level — requireTopLevel above: administrators of every tenant, by unique username
  const admins = await db().adminUser.findMany({ select: ADMIN_DTO_SELECT, orderBy: { username: 'asc' } });
  return admins.map(allowedAdminUser);
}

/** AdminAdminUserNew (top-level only), optionally in a tenant (TargetOrgID). */
export async function newAdmin(opts: { actor: AdminActor; username: string; password: string; targetOrgId?: string }): Promise<void> {
  const { actor, username } = opts;
  requireTopLevel(actor);
  validateUsername(username, 'TargetUser');
  await checkNewPassword(opts.password);
  const tenantId = await targetTenant(actor, opts.targetOrgId);
  const passwordHash = await hashPassword(opts.password);
  try {
    await db().$transaction(async (tx) => {
      await tx.adminUser.create({ data: { username, passwordHash, tenantId, permissions: {} } });
      await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_ACCOUNT_ADMIN_NEW, resourceId: username, data: { Username: username } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(apiMessage('adminExists', { username }));
    throw err;
  }
}

/** AdminAdminUserDelete (top-level only). The caller can't delete itself or the last top-level admin. */
export async function deleteAdmin({ actor, username }: { actor: AdminActor; username: string }): Promise<void> {
  requireTopLevel(actor);
  if (username === actor.username) throw new BadRequestError(apiMessage('adminDeleteSelf'));
  await db().$transaction(async (tx) => {
    // tenancy: top-level — requireTopLevel above: administrators of every tenant, by unique username
    const target = await tx.adminUser.findUnique({ where: { username }, select: { id: true, tenantId: true, tenant: { select: { isTopLevel: true } } } });
    if (!target) throw new NotFoundError(apiMessage('adminNotFound', { username: username.slice(0, 255) }));
    if (target.tenant.isTopLevel) {
      // tenancy: top-level — requireTopLevel above: administrators of every tenant, by unique username
      const topLevel = await tx.adminUser.count({ where: { tenant: { isTopLevel: true } } });
      if (topLevel <= 1) throw new BadRequestError(apiMessage('adminLastTopLevel'));
    }
    // tenancy: top-level — requireTopLevel above: administrators of every tenant, by unique username
    await tx.adminUser.delete({ where: { id: target.id } });
    await emitEvent(tx, actor, { tenantId: target.tenantId, type: SEVT.SEVT_ACCOUNT_ADMIN_REMOVED, resourceId: username, data: { Username: username } });
  });
}

/** AdminAccountProperties: the caller's own account. */
export async function ownAccountProperties({ actor }: { actor: AdminActor }) {
  // tenancy: top-level — requireTopLevel above: administrators of every tenant, by unique username
  const admin = await db().adminUser.findUnique({ where: { id: actor.adminId }, select: ADMIN_DTO_SELECT });
  if (!admin) throw new NotFoundError(apiMessage('adminAccountNotFound'));
  return shapeWire('AdminAccountPropertiesResponse', {
    OrganizationID: wireOrganizationId(admin.tenantId),
    Permissions: admin.permissions ?? {},
    Security: securityOptions(admin),
  });
}

/** Halley admin-user/set-permissions (top-level only): replace another admin's AdminUserPermissions. */
export async function setAdminPermissions({ actor, username, permissions }: { actor: AdminActor; username: string; permissions: Record<string, unknown> }): Promise<void> {
  requireTopLevel(actor);
  if (username === actor.username) throw new BadRequestError(apiMessage('adminChangeOwnPermissions'));
  await db().$transaction(async (tx) => {
    // tenancy: top-level — requireTopLevel above: administrators of every tenant, by unique username
    const target = await tx.adminUser.findUnique({ where: { username }, select: { id: true, tenantId: true } });
    if (!target) throw new NotFoundError(apiMessage('adminNotFound', { username: username.slice(0, 255) }));
    await tx.adminUser.update({ where: { id: target.id }, data: { permissions: permissions as object } });
    await emitEvent(tx, actor, { tenantId: target.tenantId, type: SEVT.SEVT_ACCOUNT_ADMIN_UPDATED, resourceId: username, data: { Username: username } });
  });
}
