// The workers' side of an organization import: runs one OrganizationImport row. Idempotent: an ended row is
// left as it is; a row found "running" (its worker was killed, BullMQ handed the job on) starts over: the killed
// attempt's transaction was rolled back with its connection, so nothing of it is in the database.
import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { db } from '../db/client';
import { env } from '../env';
import { Prisma } from '../generated/prisma/client';
import { failureCause } from '../i18n/failure-cause';
import { storedMessage } from '../i18n/stored-message';
import { log } from '../log';
import { unseal } from '../secrets';
import { importOrganizationArchive } from './import-organization-archive';
import { uploadDir } from './upload-dir';

const ENDED = new Set(['success', 'checked', 'refused', 'failed']);

export async function runOrganizationImport({ importId, halleyVersion }: { importId: string; halleyVersion: string }): Promise<{ status: string }> {
  const row = await db().organizationImport.findUnique({ where: { id: importId } });
  if (!row) return { status: 'missing' };
  if (ENDED.has(row.status)) return { status: row.status };
  await db().organizationImport.update({
    where: { id: importId },
    data: { status: 'running', phase: 'verifying', startedAt: new Date(), heartbeatAt: new Date(), rowsDone: 0, error: '', errorMessage: Prisma.DbNull, conflicts: [], summary: {} },
  });
  const end = async (data: Record<string, unknown>) => {
    await db().organizationImport.update({ where: { id: importId }, data: { ...data, phase: '', sealedPassword: '', endedAt: new Date(), heartbeatAt: new Date() } });
    // An uploaded archive (upload-organization-import.ts) is kept after a dry run for the import that follows it.
    if (!row.dryRun && dirname(resolve(row.archivePath)) === uploadDir()) await rm(row.archivePath, { force: true }).catch(() => undefined);
    return { status: String(data.status) };
  };
  let lastBeat = 0;
  try {
    const result = await importOrganizationArchive({
      archive: row.archivePath,
      password: unseal(row.sealedPassword),
      databaseUrl: env().DATABASE_URL,
      serverKeyHex: env().HALLEY_SECRET_KEY,
      halleyVersion,
      dryRun: row.dryRun,
      actorName: row.requestedBy,
      onProgress: ({ phase, rowsDone, rowsTotal }) => {
        if (Date.now() - lastBeat < 500) return;
        lastBeat = Date.now();
        void db()
          .organizationImport.update({ where: { id: importId }, data: { phase, rowsDone: BigInt(rowsDone), rowsTotal: BigInt(rowsTotal), heartbeatAt: new Date() } })
          .catch(() => undefined);
      },
    });
    const common = { sourceOrgId: result.sourceOrgId, organizationName: result.organizationName, summary: result.summary as object };
    if (result.conflicts.length) {
      log.warn({ importId, conflicts: result.conflicts.length }, 'organization import refused: conflicts');
      return end({ status: 'refused', ...common, conflicts: result.conflicts as object[] });
    }
    const rows = result.summary.Tables.reduce((n, t) => n + t.Rows, 0);
    log.info({ importId, organizationId: result.organizationId, rows, dryRun: row.dryRun }, 'organization import done');
    return end({ status: row.dryRun ? 'checked' : 'success', ...common, organizationId: row.dryRun ? '' : result.organizationId, rowsDone: BigInt(rows), rowsTotal: BigInt(rows) });
  } catch (err) {
    log.error({ importId, err: (err as Error).message }, 'organization import failed');
    // A refusal Halley knows (wrong password, damaged or foreign archive) or a network cause as a catalogue
    // message; anything else (a database error) quoted after a translated lead-in. English in `error`, as before.
    const reason = failureCause(err);
    return end({ status: 'failed', error: reason.text.slice(0, 2000), errorMessage: storedMessage([reason]) ?? Prisma.DbNull });
  }
}
