// The job rows an actor may see, as a JobScope for lib/backup-jobs/job-query.ts: lib/tenancy's account
// scope (admins: their tenant, or every tenant at the top level; end users: their own account). The same
// object is a Prisma `where` on Job, so single-job reads use it too.
import type { AdminActor, UserActor } from '../tenancy/actor';
import { accountScopeWhere } from '../tenancy/scope';
import type { JobScope } from './job-query';

export function jobScopeFor(actor: AdminActor | UserActor): JobScope {
  return accountScopeWhere(actor);
}
