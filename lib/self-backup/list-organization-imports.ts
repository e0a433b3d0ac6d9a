// admin/halley/organization/imports: the organization import history (newest first), or one import, with its
// progress, result and conflicts; for the console's Import tenant panel and the API.
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';

const secs = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : 0);

type TOrganizationImportDto = {
  ID: string;
  Status: string;
  DryRun: boolean;
  ArchivePath: string;
  Phase: string;
  RowsDone: number;
  RowsTotal: number;
  SourceOrganizationID: string;
  OrganizationID: string;
  OrganizationName: string;
  Conflicts: Array<{ Kind: string; Table: string; Columns: string; Value: string; Message: string }>;
  Summary: Record<string, unknown>;
  Error: string;
  RequestedBy: string;
  CreateTime: number;
  StartTime: number;
  EndTime: number;
};

export async function listOrganizationImports({ actor, limit, importId }: { actor: AdminActor; limit?: number; importId?: string }): Promise<{ Imports: TOrganizationImportDto[] }> {
  requireTopLevel(actor);
  const take = limit ?? 50;
  if (!Number.isInteger(take) || take < 1 || take > 500) throw new BadRequestError(apiMessage('limitTo500'));
  const rows = await db().organizationImport.findMany({
    where: importId === undefined ? {} : { id: importId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take,
    omit: { sealedPassword: true },
  });
  return {
    Imports: rows.map((r) => ({
      ID: r.id,
      Status: r.status,
      DryRun: r.dryRun,
      ArchivePath: r.archivePath,
      Phase: r.phase,
      RowsDone: Number(r.rowsDone),
      RowsTotal: Number(r.rowsTotal),
      SourceOrganizationID: r.sourceOrgId,
      OrganizationID: r.organizationId,
      OrganizationName: r.organizationName,
      Conflicts: r.conflicts as TOrganizationImportDto['Conflicts'],
      Summary: r.summary as Record<string, unknown>,
      Error: r.error,
      RequestedBy: r.requestedBy,
      CreateTime: secs(r.createdAt),
      StartTime: secs(r.startedAt),
      EndTime: secs(r.endedAt),
    })),
  };
}
