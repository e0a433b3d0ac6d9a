// HalleyAdminBulkReplaceAddressesReplace: every Comet-type vault in scope whose CometServer matches Find
// gets Replace, one hash-checked profile write per account. The BulkReplaceOperation row records each
// change as it is made (so a run that fails half-way can still be undone exactly), then online devices of
// the changed accounts are told to refetch their profile.
import { db } from '../db/client';
import type { AdminActor } from '../tenancy/actor';
import { findCometVaults, requireAddress } from './find-comet-vaults';
import { normalizeAddress } from './normalize-address';
import { notifyDevices } from './notify-devices';
import { rewriteVaultAddresses } from './rewrite-vault-addresses';

export type TOperationChange = { username: string; vaultId: string; before: string; after: string };

export async function replaceAddresses({ actor, find, replace, targetOrganization }: { actor: AdminActor; find: string; replace: string; targetOrganization?: string }): Promise<{ Changed: number; OperationID: string }> {
  requireAddress('Replace', replace);
  const wanted = requireAddress('Find', find);
  const { tenantId, matches } = await findCometVaults({ actor, find, targetOrganization });
  const next = replace.trim();
  const operation = await db().bulkReplaceOperation.create({
    data: { tenantId: tenantId ?? actor.tenantId, scopeTenantId: tenantId ?? '', adminId: actor.adminId, findAddress: find.trim(), replaceAddress: next },
    select: { id: true },
  });
  const byUser = new Map<string, string[]>();
  for (const m of matches) byUser.set(m.Username, [...(byUser.get(m.Username) ?? []), m.DestinationID]);
  const changes: TOperationChange[] = [];
  const accounts: string[] = [];
  try {
    for (const [username, vaultIds] of byUser) {
      const done = await rewriteVaultAddresses({ actor, username, vaultIds, decide: (_, address) => (normalizeAddress(address) === wanted ? next : null) });
      if (done.length === 0) continue;
      changes.push(...done.map((c) => ({ username, ...c })));
      // tenancy: derived — the operation row was created just above in this call
      await db().bulkReplaceOperation.update({ where: { id: operation.id }, data: { changes: changes as object[] } });
      const account = await db().account.findFirst({ where: { username }, select: { id: true } }); // tenancy: derived — username found in scope by findCometVaults
      if (account) accounts.push(account.id);
    }
  } finally {
    // tenancy: derived — the operation row was created just above in this call
    await db().bulkReplaceOperation.update({ where: { id: operation.id }, data: { status: 'done', changes: changes as object[] } });
  }
  await notifyDevices(accounts);
  return { Changed: changes.length, OperationID: operation.id };
}
