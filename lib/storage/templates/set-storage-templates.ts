// admin/meta/remote-storage-vault/set (AdminMetaRemoteStorageVaultSet): replaces the caller's
// organization's Storage Templates (a top-level admin's are the server's, or a TargetOrganization's; tenant admins need
// AllowEditRemoteStorage, checked by the registry). Every template is validated for its type, its
// endpoint passes the outbound guard now (and again at every connection), credentials left "" keep the
// stored ones of the same ID, and templates without an ID get one. When templates are removed,
// ReplacementAutoVaultID (one of the remaining IDs, or "") replaces them in the organization's policies'
// DefaultNewStorageVault, in the same transaction (SEVT_POLICY_UPDATED for each policy changed).
import { randomUUID } from 'node:crypto';
import { StreamableEventType as SEVT } from '../../comet/constants';
import { db } from '../../db/client';
import { BadRequestError } from '../../errors';
import { emitEvent } from '../../events/emit';
import { checkOutboundHostMessage, urlHost } from '../../net/outbound-guard';
import { allowPrivateTargets } from '../../net/private-targets';
import type { AdminActor } from '../../tenancy/actor';
import { targetTenant } from '../../tenancy/scope';
import { sealTemplateSecrets, splitTemplate, type Json } from './template-secrets';
import { checkTemplate, templateTargets } from './template-types';
import { apiMessage } from '../../i18n/api-messages';
import { withDefaultScheme } from '../../validation/url-parts';

const MAX_TEMPLATES = 100;

/** Config-time outbound check of every endpoint the templates name. */
export async function checkTemplateTargets(o: Json, where: string): Promise<void> {
  const allow = await allowPrivateTargets();
  for (const target of templateTargets(o)) {
    let host: string;
    try {
      host = urlHost(new URL(withDefaultScheme(target, 'https')));
    } catch {
      throw new BadRequestError(apiMessage('templateAddressInvalid', { where, address: target.slice(0, 200) }));
    }
    const why = await checkOutboundHostMessage(host, allow, 'storage endpoint');
    if (why) throw new BadRequestError(apiMessage('fieldCause', { field: where, cause: why }));
  }
}

export async function setStorageTemplates({ actor, options, replacementId, targetOrganization }: { actor: AdminActor; options: Json[] | null; replacementId?: string; targetOrganization?: string }): Promise<void> {
  const tenantId = await targetTenant(actor, targetOrganization);
  // Every query below stays in this one tenant.
  const inTenant = { tenantId };
  const list = (options ?? []).map((o) => ({ ...o }));
  if (list.length > MAX_TEMPLATES) throw new BadRequestError(apiMessage('templatesTooMany', { limit: String(MAX_TEMPLATES) }));
  const ids = new Set<string>();
  let defaults = 0;
  for (const [i, o] of list.entries()) {
    const where = `RemoteStorageOptions[${i}]`;
    if (!o || typeof o !== 'object') throw new BadRequestError(apiMessage('fieldNotObject', { field: where }));
    o.ID = typeof o.ID === 'string' && o.ID.trim() !== '' ? o.ID.trim() : randomUUID();
    if (o.ID.length > 100) throw new BadRequestError(apiMessage('fieldTooLong', { field: `${where}.ID`, limit: '100' }));
    if (ids.has(o.ID)) throw new BadRequestError(apiMessage('templateIdTwice', { where, id: o.ID }));
    ids.add(o.ID);
    if (o.Default) defaults += 1;
    checkTemplate(o, where);
    await checkTemplateTargets(o, where);
  }
  if (defaults > 1) throw new BadRequestError(apiMessage('templateDefaultTwice'));
  const replacement = replacementId ?? '';
  if (replacement !== '' && !ids.has(replacement)) throw new BadRequestError(apiMessage('replacementNotInTemplates', { id: replacement.slice(0, 100) }));

  await db().$transaction(async (tx) => {
    // tenancy: derived — inTenant is targetTenant(...) above
    const stored = await tx.storageTemplate.findMany({ where: inTenant, select: { templateId: true, secrets: true } });
    const storedSecrets = new Map(stored.map((s) => [s.templateId, s.secrets]));
    const rows = list.map((o, position) => {
      const { public: pub, secrets } = splitTemplate(o);
      return {
        ...inTenant,
        templateId: o.ID as string,
        position,
        type: String(o.Type),
        description: String(o.Description),
        isDefault: o.Default === true,
        data: pub as object,
        secrets: sealTemplateSecrets(secrets, storedSecrets.get(o.ID), pub),
      };
    });
    // tenancy: derived — inTenant is targetTenant(...) above
    await tx.storageTemplate.deleteMany({ where: inTenant });
    if (rows.length) await tx.storageTemplate.createMany({ data: rows });
    const removed = stored.map((s) => s.templateId).filter((id) => !ids.has(id));
    if (!removed.length) return;
    // tenancy: derived — inTenant is targetTenant(...) above
    const policies = await tx.policy.findMany({ where: inTenant, select: { id: true, policy: true } });
    for (const p of policies) {
      const policy = (p.policy ?? {}) as Json;
      if (!removed.includes(policy.DefaultNewStorageVault)) continue;
      // tenancy: derived — the policy was read in the target tenant just above
      await tx.policy.update({ where: { tenantId_id: { tenantId, id: p.id } }, data: { policy: { ...policy, DefaultNewStorageVault: replacement } } });
      await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_POLICY_UPDATED, resourceId: p.id, data: { PolicyID: p.id } });
    }
  });
}
