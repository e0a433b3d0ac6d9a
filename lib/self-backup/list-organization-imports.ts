// admin/halley/organization/imports: the organization import history (newest first), or one import, with its
// progress, result and conflicts; for the console's Import tenant panel and the API.
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { renderStoredMessage } from '../i18n/stored-message';
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

type StoredConflict = TOrganizationImportDto['Conflicts'][number] & { MessageKey?: ApiMessage };

/** A stored conflict as answered: its Message in `locale` (rows from before keep their English), without the key. */
function conflictIn({ MessageKey, ...c }: StoredConflict, locale: Locale): TOrganizationImportDto['Conflicts'][number] {
  return { ...c, Message: renderStoredMessage(MessageKey ? [MessageKey] : null, c.Message, locale) };
}

/** The summary as answered: each LeftOut Reason in `locale` (imports from before keep their English), without the key. */
function summaryIn(summary: unknown, locale: Locale): Record<string, unknown> {
  const s = (summary && typeof summary === 'object' ? summary : {}) as Record<string, unknown>;
  if (!Array.isArray(s.LeftOut)) return s;
  const LeftOut = (s.LeftOut as Array<{ Reason: string; ReasonKey?: ApiMessage }>).map(({ ReasonKey, ...x }) => ({ ...x, Reason: renderStoredMessage(ReasonKey ? [ReasonKey] : null, x.Reason, locale) }));
  return { ...s, LeftOut };
}

/** `locale`: the language of Error, the conflicts' Message and the left-out rows' Reason (the reader's). */
export async function listOrganizationImports({ actor, limit, importId, locale = 'en' }: { actor: AdminActor; limit?: number; importId?: string; locale?: Locale }): Promise<{ Imports: TOrganizationImportDto[] }> {
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
      Conflicts: (Array.isArray(r.conflicts) ? (r.conflicts as StoredConflict[]) : []).map((c) => conflictIn(c, locale)),
      Summary: summaryIn(r.summary, locale),
      Error: renderStoredMessage(r.errorMessage, r.error, locale),
      RequestedBy: r.requestedBy,
      CreateTime: secs(r.createdAt),
      StartTime: secs(r.startedAt),
      EndTime: secs(r.endedAt),
    })),
  };
}
