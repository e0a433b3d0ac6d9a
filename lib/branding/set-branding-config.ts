// AdminMetaBrandingConfigSet: replaces the admin's own organization's BrandingOptions (a tenant admin
// brands its organization; a top-level admin the server). Code-signing secrets are sealed with the
// organization's other secrets, and an empty one keeps the stored value (lib/profile/mapper.ts).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, type Tx } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import { apiMessage } from '../i18n/api-messages';
import { keepStoredSecrets, splitSecrets } from '../profile/mapper';
import { sealJson, unsealJson } from '../secrets';
import type { AdminActor } from '../tenancy/actor';
import { ownTenantWhere } from '../tenancy/scope';
import { checkBranding } from './branding-rules';

export async function setBrandingConfig({ actor, branding }: { actor: AdminActor; branding: Record<string, unknown> }): Promise<void> {
  const hashes = await checkBrandingConfig(actor, branding);
  await db().$transaction((tx) => writeBrandingConfig(tx, actor, branding, hashes));
}

/** Refuses a malformed BrandingConfig without writing; answers the resource hashes it names (checked when written). */
export async function checkBrandingConfig(actor: AdminActor, branding: Record<string, unknown>): Promise<string[]> {
  if (typeof branding !== 'object' || branding === null || Array.isArray(branding)) throw new BadRequestError(apiMessage('brandingBadValue', { field: 'BrandingConfig' }));
  // tenancy: own — the actor's own organization, whose branding this call replaces
  const current = await db().tenant.findFirst({ where: { id: actor.tenantId }, select: { data: true } });
  return checkBranding(branding, ((current?.data ?? {}) as { Branding?: Record<string, unknown> }).Branding ?? {});
}

/** Writes the branding in `tx`; a named resource that is not the organization's refuses (and rolls `tx` back). */
export async function writeBrandingConfig(tx: Tx, actor: AdminActor, branding: Record<string, unknown>, hashes: string[]): Promise<void> {
  if (hashes.length) {
    const found = await tx.brandingResource.findMany({ where: { hash: { in: hashes }, ...ownTenantWhere(actor) }, select: { hash: true } });
    const missing = hashes.find((h) => !found.some((f) => f.hash === h));
    if (missing) throw new NotFoundError(apiMessage('resourceNotFound', { hash: missing }), 400);
  }
  // The actor's own organization row (Tenant is the tenant itself, keyed by the actor's tenant id).
  const tenant = await tx.tenant.findFirst({ where: { id: actor.tenantId }, select: { id: true, name: true, data: true, secrets: true } });
  if (!tenant) throw new NotFoundError(apiMessage('forbidden'), 403);
  const split = splitSecrets(branding);
  const stored = unsealJson<Record<string, unknown>>(tenant.secrets) ?? {};
  const kept = keepStoredSecrets(split.secrets, stored.Branding as never);
  const { Branding: _old, ...otherSecrets } = stored;
  const secrets = kept ? { ...otherSecrets, Branding: kept } : otherSecrets;
  const data = { ...((tenant.data ?? {}) as Record<string, unknown>), Branding: split.public };
  await tx.tenant.updateMany({
    where: { id: tenant.id },
    data: { data: data as object, secrets: Object.keys(secrets).length ? sealJson(secrets) : null },
  });
  await emitEvent(tx, actor, { tenantId: tenant.id, type: SEVT.SEVT_TENANT_UPDATED, resourceId: tenant.id, data: { OrganizationID: tenant.id, Name: tenant.name } });
}
