import { randomUUID } from 'node:crypto';
import { hashPassword } from '../credentials/password';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, isUniqueViolation, type Tx } from '../db/client';
import { BadRequestError, ConflictError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { targetTenant } from '../tenancy/scope';
import { checkNewPassword } from '../validation/check-new-password';
import { validateUsername } from './validate-username';
import { newSecretStamp, persistProfile, prepareProfile, applyAssignedPolicy } from './write-profile';
import { apiMessage } from '../i18n/api-messages';

type AddUserOptions = {
  actor: AdminActor;
  username: string;
  password: string;
  targetOrganization?: string;
  storeRecoveryCode?: number;
  requirePasswordChange?: number;
};

function usernameTaken(username: string): ConflictError {
  return new ConflictError(apiMessage('usernameInUse', { username }));
}

/** The tenant's default policy, if one is marked DefaultUserPolicy. */
async function defaultPolicy(tx: Tx, tenantId: string) {
  // tenancy: derived — tenantId comes from targetTenant(actor, TargetOrganization)
  return tx.policy.findFirst({ where: { tenantId, defaultUserPolicy: true }, select: { id: true, policy: true }, orderBy: { createdDate: 'asc' } });
}

/** AdminAddUser: a new end-user account with a password and the tenant's default policy. */
export async function addUser({ actor, username, password, targetOrganization, requirePasswordChange }: AddUserOptions): Promise<void> {
  validateUsername(username, 'TargetUser');
  await checkNewPassword(password);
  const tenantId = await targetTenant(actor, targetOrganization);
  const passwordHash = await hashPassword(password);
  try {
    await db().$transaction(async (tx) => {
      const policy = await defaultPolicy(tx, tenantId);
      const account = await tx.account.create({
        data: {
          username,
          tenantId,
          passwordHash,
          allowPasswordLogin: true,
          requirePasswordChange: (requirePasswordChange ?? 0) !== 0,
          createTime: BigInt(Math.floor(Date.now() / 1000)),
          creationGuid: randomUUID(),
          languageCode: 'en_US',
          sendEmailReports: false,
          policyId: policy?.id ?? '',
          data: policy ? { Policy: policy.policy as object } : {},
          secretStamp: newSecretStamp(),
        },
        select: { id: true },
      });
      await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_ACCOUNT_NEW, resourceId: username, data: { Username: username, AccountID: account.id } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw usernameTaken(username);
    throw err;
  }
}

/** AdminAddUserFromProfile: a new account from a complete UserProfileConfig. */
export async function addUserFromProfile(opts: { actor: AdminActor; username: string; profile: Record<string, unknown>; targetOrganization?: string }): Promise<void> {
  const { actor, username, profile } = opts;
  validateUsername(username, 'TargetUser');
  const named = typeof profile.Username === 'string' ? profile.Username : '';
  if (named !== '' && named !== username) throw new BadRequestError(apiMessage('profileUsernameMismatch', { named, username }));
  const tenantId = await targetTenant(actor, opts.targetOrganization);
  const prepared = await prepareProfile(profile, null);
  if (!prepared.rows.account.createTime) prepared.rows.account.createTime = BigInt(Math.floor(Date.now() / 1000));
  if (!prepared.rows.account.creationGuid) prepared.rows.account.creationGuid = randomUUID();
  try {
    await db().$transaction(async (tx) => {
      if (!prepared.rows.account.policyId) {
        const policy = await defaultPolicy(tx, tenantId);
        if (policy) prepared.rows.account.policyId = policy.id;
      }
      await applyAssignedPolicy(tx, tenantId, prepared.rows);
      const account = await tx.account.create({ data: { username, tenantId }, select: { id: true } });
      await persistProfile(tx, account.id, tenantId, prepared);
      await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_ACCOUNT_NEW, resourceId: username, data: { Username: username, AccountID: account.id } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw usernameTaken(username);
    throw err;
  }
}
