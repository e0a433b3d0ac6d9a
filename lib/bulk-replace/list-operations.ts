import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { resolveTargetTenant, tenantWhere } from '../tenancy/scope';
import type { TOperationChange } from './replace-addresses';

type TOperationSummary = { OperationID: string; Find: string; Replace: string; Changed: number; Status: string; CreateTime: number; UndoTime: number };

/** HalleyAdminBulkReplaceAddressesList: the newest operations the admin may see (and undo). */
export async function listOperations({ actor, targetOrganization }: { actor: AdminActor; targetOrganization?: string }): Promise<TOperationSummary[]> {
  const tenantId = await resolveTargetTenant(actor, targetOrganization);
  const rows = await db().bulkReplaceOperation.findMany({ where: tenantWhere(actor, tenantId), orderBy: { createdAt: 'desc' }, take: 50 });
  return rows.map((r) => ({
    OperationID: r.id,
    Find: r.findAddress,
    Replace: r.replaceAddress,
    Changed: ((r.changes ?? []) as TOperationChange[]).length,
    Status: r.status,
    CreateTime: Math.floor(r.createdAt.getTime() / 1000),
    UndoTime: r.undoneAt ? Math.floor(r.undoneAt.getTime() / 1000) : 0,
  }));
}
