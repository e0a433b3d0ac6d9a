// admin/halley/organization/import: imports a tenant export archive (admin/organization/export) that is on this
// server's file system, as a job on the workers (run-organization-import.ts); answers the import's id at once.
// The password is kept sealed in the import's row until the import ends.
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import { apiMessage } from '../i18n/api-messages';
import { seal } from '../secrets';
import { actorName, type AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { enqueueImport } from './queue';

export async function startOrganizationImport({ actor, archivePath, password, dryRun }: { actor: AdminActor; archivePath: string; password: string; dryRun?: boolean }): Promise<{ importId: string }> {
  requireTopLevel(actor);
  const path = archivePath.trim();
  if (!path || !isAbsolute(path) || path.includes('\0')) throw new BadRequestError(apiMessage('importArchivePath'));
  const s = await stat(path).catch(() => null);
  if (!s?.isFile()) throw new BadRequestError(apiMessage('importArchiveMissing', { path }));
  if (!password) throw new BadRequestError(apiMessage('importPasswordMissing'));
  const importId = await db().$transaction(async (tx) => {
    const row = await tx.organizationImport.create({
      data: { archivePath: path, sealedPassword: seal(password), dryRun: dryRun === true, requestedBy: actorName(actor) },
      select: { id: true },
    });
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_SERVER_UPDATED, resourceId: row.id, data: { OrganizationImportStarted: { ImportID: row.id, DryRun: dryRun === true } } });
    return row.id;
  });
  await enqueueImport(importId);
  return { importId };
}
