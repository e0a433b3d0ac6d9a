// ServerConfigOptions.SelfBackup, saved through server-config/set: validated, blank secrets kept from the
// stored targets (same Index), sealed, and the workers asked to reschedule now.
import { StreamableEventType as SEVT } from '../comet/constants';
import type { Tx } from '../db/client';
import { emitEvent } from '../events/emit';
import { log } from '../log';
import { writeServerSetting } from '../settings/server-settings';
import type { AdminActor } from '../tenancy/actor';
import { requestReconcile } from './queue';
import { normaliseSelfBackupOptions, publicSelfBackupOptions, readSelfBackupOptions, sealOptions, SELF_BACKUP_SETTING, type SelfBackupOptions } from './stored-options';
import { tenantExists } from './tenant-exists';

/** Validates `options` without saving (server-config/set checks every part before it applies any). */
export async function prepareSelfBackupOptions(options: unknown): Promise<{ next: SelfBackupOptions; changed: boolean }> {
  const current = await readSelfBackupOptions({ fresh: true });
  const next = await normaliseSelfBackupOptions(options, current, tenantExists);
  return { next, changed: JSON.stringify(next) !== JSON.stringify(current) };
}

export async function writeSelfBackupOptions(tx: Tx, actor: AdminActor, next: SelfBackupOptions): Promise<void> {
  await writeServerSetting(tx, SELF_BACKUP_SETTING, sealOptions(next));
  await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_SERVER_UPDATED, resourceId: '', data: { SelfBackup: publicSelfBackupOptions(next) } });
}

/** After a committed change: the workers reschedule now (else within a minute). */
export async function rescheduleSelfBackups(): Promise<void> {
  await requestReconcile().catch((err) => log.warn({ err: (err as Error).message }, 'could not ask the workers to reschedule self-backups (they do within a minute)'));
}
