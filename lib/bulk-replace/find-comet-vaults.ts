// The Comet-type Storage Vaults (DESTINATIONTYPE_COMET) in an admin's scope whose CometServer matches an
// address. Shared by find (the dry run) and replace, so both act on exactly the same list.
import { DESTINATIONTYPE } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import type { AdminActor } from '../tenancy/actor';
import { resolveTargetTenant, tenantWhere } from '../tenancy/scope';
import { normalizeAddress } from './normalize-address';
import { apiMessage } from '../i18n/api-messages';

export type TAddressMatch = { Username: string; DestinationID: string; Description: string; Address: string };

export function requireAddress(name: string, value: string): string {
  const normal = normalizeAddress(value);
  if (!normal) throw new BadRequestError(apiMessage('fieldNotHttpAddress', { field: String(name) }));
  return normal;
}

export async function findCometVaults({ actor, find, targetOrganization }: { actor: AdminActor; find: string; targetOrganization?: string }): Promise<{ tenantId: string | undefined; matches: TAddressMatch[] }> {
  const wanted = requireAddress('Find', find);
  const tenantId = await resolveTargetTenant(actor, targetOrganization);
  const vaults = await db().storageVault.findMany({
    where: { destinationType: BigInt(DESTINATIONTYPE.DESTINATIONTYPE_COMET), ...tenantWhere(actor, tenantId) },
    select: { vaultId: true, description: true, data: true, account: { select: { username: true } } },
    orderBy: [{ account: { username: 'asc' } }, { position: 'asc' }],
  });
  const matches: TAddressMatch[] = [];
  for (const v of vaults) {
    const address = (v.data as { CometServer?: unknown } | null)?.CometServer;
    if (typeof address === 'string' && normalizeAddress(address) === wanted) {
      matches.push({ Username: v.account.username, DestinationID: v.vaultId, Description: v.description, Address: address });
    }
  }
  return { tenantId, matches };
}
