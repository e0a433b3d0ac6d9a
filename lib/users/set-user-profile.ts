import { StreamableEventType as SEVT } from '../comet/constants';
import { db, type Tx } from '../db/client';
import { BadRequestError, ConflictError } from '../errors';
import { emitEvent } from '../events/emit';
import { wireOrganizationId, type AdminActor, type UserActor } from '../tenancy/actor';
import type { LoadedAccount } from './load-profiles';
import { findOwnAccount, findVisibleAccount, lockAccount } from './find-account';
import { profileAndHash } from './profile-hash';
import { sealedFieldsOf } from './profile-sealed-fields';
import { keepStoredStatistics } from '../profile/job-statistics';
import type { JsonObject } from '../profile/mapper';
import { issueMessage, validateBackupConfig } from '../profile/validate-backup-config';
import { applyAssignedPolicy, persistProfile, prepareProfile } from './write-profile';
import { apiMessage } from '../i18n/api-messages';

/** An admin names the account (TargetUser, found within its scope); an end user always saves its own. */
type ProfileOwner = { actor: AdminActor; username: string } | { actor: UserActor };

export type ReplaceProfileOptions = ProfileOwner & {
  profile: Record<string, unknown>;
  requireHash?: string;
  /** PolicyOptions.DeleteSources from AdminOptions: protected items to drop while saving. */
  deleteSources?: string[];
  /** End users may not change admin-controlled fields: they are restored from the stored profile. */
  restrict?: (stored: Record<string, unknown>, incoming: Record<string, unknown>) => Record<string, unknown>;
};

/** The target account, read inside the transaction with the caller's own scope. */
function loadTarget(tx: Tx, owner: ProfileOwner): Promise<LoadedAccount> {
  return 'username' in owner ? findVisibleAccount(tx, owner.actor, owner.username) : findOwnAccount(tx, owner.actor);
}

/** Replaces a profile, optionally guarded by its hash; returns the new profile and hash. */
export async function replaceProfile(opts: ReplaceProfileOptions): Promise<{ profile: Record<string, unknown>; hash: string }> {
  return db().$transaction(async (tx) => {
    const first = await loadTarget(tx, opts);
    await lockAccount(tx, first.id);
    const stored = await loadTarget(tx, opts); // re-read under the lock
    const current = profileAndHash(stored);
    if (opts.requireHash !== undefined && opts.requireHash !== current.hash) {
      throw new ConflictError(apiMessage('profileChangedSinceRead'));
    }
    let incoming = opts.profile;
    const named = typeof incoming.Username === 'string' ? incoming.Username : '';
    if (named !== '' && named !== stored.username) {
      throw new BadRequestError(apiMessage('profileUsernameNotAccount', { named: named.slice(0, 255), username: stored.username }));
    }
    const org = typeof incoming.OrganizationID === 'string' ? incoming.OrganizationID : '';
    if (org !== '' && org !== wireOrganizationId(stored.tenantId)) {
      throw new BadRequestError(apiMessage('profileOrgReadOnly'));
    }
    if (opts.restrict) incoming = opts.restrict(current.profile, incoming);
    if (opts.deleteSources?.length) {
      const sources = { ...((incoming.Sources as Record<string, unknown> | null) ?? {}) };
      for (const id of opts.deleteSources) delete sources[id];
      incoming = { ...incoming, Sources: sources };
    }
    // Statistics belong to the devices' job reports: a save never rolls them back to what the editor read.
    incoming = keepStoredStatistics(incoming, {
      Destinations: new Map(stored.vaults.map((v) => [v.vaultId, (v.data as JsonObject | null)?.Statistics])),
      Sources: new Map(stored.items.map((i) => [i.itemId, (i.data as JsonObject | null)?.Statistics])),
    });
    const issues = validateBackupConfig(incoming, current.profile, sealedFieldsOf(stored)).filter((i) => i.level === 'error');
    if (issues.length > 0) throw new BadRequestError(issues.slice(0, 5).map(issueMessage).join('; '));
    const prepared = await prepareProfile(incoming, stored, tx);
    await applyAssignedPolicy(tx, stored.tenantId, prepared.rows);
    await persistProfile(tx, stored.id, stored.tenantId, prepared);
    const saved = profileAndHash(await loadTarget(tx, opts));
    await emitEvent(tx, opts.actor, { tenantId: stored.tenantId, type: SEVT.SEVT_ACCOUNT_UPDATED, resourceId: stored.username, data: { Username: stored.username } });
    return saved;
  });
}
