import { db } from '../db/client';
import { shapeWire, type JsonObject } from '../profile/mapper';
import type { AdminActor } from '../tenancy/actor';
import { storedEmailOptions } from './stored-email-options';
import { targetTenant } from '../tenancy/scope';

/** AdminMetaEmailOptionsGet: the caller's organization's options (top level: the server's), secrets blanked. */
export async function getEmailOptions(opts: { actor: AdminActor; targetOrganization?: string }): Promise<JsonObject> {
  const tenantId = await targetTenant(opts.actor, opts.targetOrganization);
  const tenant = await db().tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { id: true, data: true, secrets: true } });
  return shapeWire('EmailOptions', storedEmailOptions(tenant, false)) as JsonObject;
}
