// Halley: the self-backup run history (newest first) for the console and the API.
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { apiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { renderStoredMessage } from '../i18n/stored-message';

const secs = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : 0);

type SelfBackupRunDto = {
  ID: string;
  Kind: string;
  TargetIndex: number;
  Trigger: string;
  Status: string;
  Location: string;
  FileName: string;
  Size: number;
  Rows: number;
  Error: string;
  StartTime: number;
  EndTime: number;
  RestrictToSingleOrgID: string;
  ExcludeJobsDB: boolean;
};

/** `locale`: the language of each failed run's Error (the reader's); rows from before keep their English text. */
export async function listSelfBackupRuns({ actor, limit, targetIndex, locale = 'en' }: { actor: AdminActor; limit?: number; targetIndex?: number; locale?: Locale }): Promise<{ Runs: SelfBackupRunDto[] }> {
  requireTopLevel(actor);
  const take = limit ?? 50;
  if (!Number.isInteger(take) || take < 1 || take > 500) throw new BadRequestError(apiMessage('limitTo500'));
  // A target's Index is a 32-bit column: anything outside it cannot name a target (and must not reach the query).
  if (targetIndex !== undefined && (targetIndex < 0 || targetIndex > 2 ** 31 - 1)) throw new BadRequestError(apiMessage('targetIndexRange'));
  const rows = await db().selfBackupRun.findMany({
    where: targetIndex === undefined ? {} : { kind: 'target', targetIndex },
    orderBy: [{ startedAt: 'desc' }, { id: 'asc' }],
    take,
    select: {
      id: true, kind: true, targetIndex: true, trigger: true, status: true, location: true, fileName: true, sizeBytes: true,
      rowCount: true, error: true, errorMessage: true, startedAt: true, endedAt: true, restrictToOrgId: true, excludeJobs: true,
    },
  });
  return {
    Runs: rows.map((r) => ({
      ID: r.id,
      Kind: r.kind,
      TargetIndex: r.targetIndex,
      Trigger: r.trigger,
      Status: r.status,
      Location: r.location,
      FileName: r.fileName,
      Size: Number(r.sizeBytes),
      Rows: Number(r.rowCount),
      Error: renderStoredMessage(r.errorMessage, r.error, locale),
      StartTime: secs(r.startedAt),
      EndTime: secs(r.endedAt),
      RestrictToSingleOrgID: r.restrictToOrgId,
      ExcludeJobsDB: r.excludeJobs,
    })),
  };
}
