// tenancy-file: system — first-admin bootstrap runs without credentials and must know whether any administrator exists
import { hashPassword } from '../credentials/password';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { ForbiddenError } from '../errors';
import { emitEvent } from '../events/emit';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';
import { validateUsername } from '../users/validate-username';
import { checkNewPassword } from '../validation/check-new-password';
import { apiMessage } from '../i18n/api-messages';

// Serialises concurrent first-admin attempts: exactly one can win.
const FIRST_ADMIN_LOCK = 0x4861_6c01;

// "First" means the first top-level administrator: tenant admins (e.g. the demo tenant's, seeded by
// `npm start -- --demo` on a fresh server) must not lock the server out of ever getting one.
const TOP_LEVEL_ADMINS = { where: { tenantId: TOP_LEVEL_TENANT_ID }, take: 1 } as const;

export async function serverHasAdmin(): Promise<boolean> {
  return (await db().adminUser.count(TOP_LEVEL_ADMINS)) > 0;
}

/** Any administrator at all (a demo tenant's admin can sign in before the top level has one). */
export async function serverHasAnyAdmin(): Promise<boolean> {
  return (await db().adminUser.count({ take: 1 })) > 0;
}

/** AdminAddFirstAdminUser: only on a server without a top-level administrator. */
export async function addFirstAdmin({ username, password }: { username: string; password: string }): Promise<void> {
  validateUsername(username, 'TargetUser');
  // A server that has its administrator says so whatever the password (the lock below decides races).
  if (await serverHasAdmin()) throw new ForbiddenError(apiMessage('adminAlreadyExists'));
  await checkNewPassword(password);
  const passwordHash = await hashPassword(password);
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`;
    if ((await tx.adminUser.count(TOP_LEVEL_ADMINS)) > 0) throw new ForbiddenError(apiMessage('adminAlreadyExists'));
    await tx.adminUser.create({ data: { username, passwordHash, tenantId: TOP_LEVEL_TENANT_ID, permissions: {} } });
    await emitEvent(tx, { kind: 'anonymous' }, { tenantId: TOP_LEVEL_TENANT_ID, type: SEVT.SEVT_ACCOUNT_ADMIN_NEW, resourceId: username, data: { Username: username } });
  });
}
