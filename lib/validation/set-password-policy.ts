import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import { apiMessage } from '../i18n/api-messages';
import { writeServerSetting } from '../settings/server-settings';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { MIN_LENGTH_BOUNDS, normalisePasswordPolicy, PASSWORD_POLICY_KEY, type PasswordPolicy } from './password-policy';

/** HalleyAdminMetaPasswordPolicySet (top level): applies to passwords set from now on, not to existing ones. */
export async function setPasswordPolicy(opts: { actor: AdminActor; minLength: number; rejectCommon: boolean }): Promise<PasswordPolicy> {
  const { actor } = opts;
  requireTopLevel(actor);
  const policy = normalisePasswordPolicy({ MinLength: opts.minLength, RejectCommon: opts.rejectCommon });
  if (!policy) throw new BadRequestError(apiMessage('passwordPolicyMinLength', { min: MIN_LENGTH_BOUNDS.min, max: MIN_LENGTH_BOUNDS.max }));
  await db().$transaction(async (tx) => {
    await writeServerSetting(tx, PASSWORD_POLICY_KEY, policy);
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_SERVER_UPDATED, resourceId: '', data: { PasswordPolicy: policy } });
  });
  return policy;
}
