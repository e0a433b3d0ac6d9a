// admin/organization/export: a self-backup restricted to one organization (RestrictToSingleOrgID), written
// once to the given location. The archive has the tenant's rows only (and the data directory's secret key,
// which its sealed secrets need); `npm run restore` restores it into an empty database.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { AppError, BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { createRun } from './create-runs';
import { enqueueRun } from './queue';
import { normaliseSelfBackupOptions } from './stored-options';
import { tenantExists } from './tenant-exists';
import { apiMessage, apiMessageWithEnglish, type ApiMessage } from '../i18n/api-messages';

/** `message` with the target's field path named `Options` (in its values and its English). */
function renamed(message: ApiMessage): ApiMessage {
  const values = Object.fromEntries(Object.entries(message.values).map(([k, v]) => [k, typeof v === 'string' ? v.replace('SelfBackup.Targets[0]', 'Options') : typeof v === 'object' ? renamed(v) : v]));
  return apiMessageWithEnglish(message.key, values, message.text.replace('SelfBackup.Targets[0]', 'Options'));
}

export async function exportOrganization({ actor, options }: { actor: AdminActor; options: Record<string, unknown> }): Promise<{ runId: string }> {
  requireTopLevel(actor);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new BadRequestError(apiMessage('exportOptionsNotObject'));
  if (!String(options.RestrictToSingleOrgID ?? '')) throw new BadRequestError(apiMessage('exportOrgRequired'));
  const { Targets } = await normaliseSelfBackupOptions({ Targets: [{ ...options, Schedule: [], Index: 0 }] }, { Targets: [] }, tenantExists).catch((err: Error) => {
    // The same message about `Options` instead of the self-backup target, still in the caller's language.
    const t = err instanceof AppError ? err.translatable : undefined;
    throw new BadRequestError(t ? renamed(t as ApiMessage) : err.message.replace('SelfBackup.Targets[0]', 'Options'));
  });
  const target = Targets[0]!;
  const runId = await db().$transaction(async (tx) => {
    const id = await createRun(tx, { kind: 'export', trigger: 'manual', target });
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_SERVER_UPDATED, resourceId: id, data: { OrganizationExportStarted: { RunID: id, OrganizationID: target.RestrictToSingleOrgID } } });
    return id;
  });
  await enqueueRun(runId);
  return { runId };
}
