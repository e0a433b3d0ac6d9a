// Halley: the price list of the admin's organization (or of TargetOrganization, top level only).
import type { AdminActor } from '../tenancy/actor';
import { targetTenant } from '../tenancy/scope';
import { loadPriceList, type TPriceList } from './prices';

export async function getPriceList({ actor, targetOrganization }: { actor: AdminActor; targetOrganization?: string }): Promise<TPriceList> {
  return loadPriceList(await targetTenant(actor, targetOrganization));
}
