// The job rows an actor may see, as a JobScope for lib/backup-jobs/job-query.ts. Admins: tenantWhere()
// (their tenant, or every tenant for top-level admins); end users: their own account in their tenant.
// The same object is a Prisma `where` on Job, so single-job reads use it too.
import type { AdminActor, UserActor } from '../tenancy/actor';
import { tenantWhere, userTenantWhere } from '../tenancy/scope';
import type { JobScope } from './job-query';

export function jobScopeFor(actor: AdminActor | UserActor): JobScope {
  if (actor.kind === 'user') return { ...userTenantWhere(actor), accountId: actor.accountId };
  return tenantWhere(actor);
}

