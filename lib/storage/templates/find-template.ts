// A Storage Template of one organization, opened (credentials included) for provisioning or testing.
import type { Tx } from '../../db/client';
import { db } from '../../db/client';
import { NotFoundError } from '../../errors';
import { openTemplate, type Json } from './template-secrets';
import { apiMessage } from '../../i18n/api-messages';

export function templateNotFound(id: string): NotFoundError {
  return new NotFoundError(apiMessage('storageProviderNotFound', { id: id.slice(0, 100) }));
}

/** `tenantId` must come from a row or an actor already in scope. */
export async function openTemplateOf(tenantId: string, templateId: string, tx: Tx | ReturnType<typeof db> = db()): Promise<Json | null> {
  // tenancy: derived — tenantId is the scoped caller's (the actor's own, or the account's it found in scope)
  const row = await tx.storageTemplate.findFirst({ where: { tenantId, templateId }, select: { data: true, secrets: true } });
  return row ? openTemplate(row) : null;
}
