// The tenancy rule as a SQL condition on a ledger table aliased `u`: tenantWhere with TargetOrganization.
import { Prisma } from '../generated/prisma/client';
import type { AdminActor, TenantViewer } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

export function ledgerScope(actor: AdminActor | TenantViewer, targetTenantId: string | undefined): Prisma.Sql {
  const where = tenantWhere(actor, targetTenantId);
  return where.tenantId === undefined ? Prisma.sql`TRUE` : Prisma.sql`u."tenantId" = ${where.tenantId}`;
}
