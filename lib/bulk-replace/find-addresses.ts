import type { AdminActor } from '../tenancy/actor';
import { findCometVaults, type TAddressMatch } from './find-comet-vaults';

/** HalleyAdminBulkReplaceAddressesFind: the dry run; nothing is written. */
export async function findAddresses(opts: { actor: AdminActor; find: string; targetOrganization?: string }): Promise<TAddressMatch[]> {
  return (await findCometVaults(opts)).matches;
}
