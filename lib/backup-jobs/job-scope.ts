// The job rows an actor may see, as a JobScope for lib/backup-jobs/job-query.ts. Admins: tenantWhere()
// (their tenant, or every tenant for top-level admins); end users: their own account in their tenant.
import type { AdminActor, UserActor } from '../tenancy/actor';
import { tenantWhere, userTenantWhere } from '../tenancy/scope';
import type { JobScope } from './job-query';

export function jobScopeFor(actor: AdminActor | UserActor): JobScope {
  if (actor.kind === 'user') return { ...userTenantWhere(actor), accountId: actor.accountId };
  return tenantWhere(actor);
}

/** The same scope as a Prisma `where` on Job (for the single-job reads). */
export function jobWhereFor(actor: AdminActor | UserActor): { tenantId?: string; accountId?: string } {
  return jobScopeFor(actor);
}
