// external-auth-sources/get|new|set|delete. Sources belong to a tenant: the caller's own (a top-level
// admin's are the top-level organization's, i.e. the server's). Tenant admins need
// AllowEditExternalAuthSources (checked by the registry through the permission table).
import { randomUUID } from 'node:crypto';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, type Tx } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { checkSourceTargets } from './check-source-targets';
import { clampNewUserPermissions, sealSecrets, sourceToWire, splitSecrets, unsealSecrets, validateSource } from './source-codec';
import { ownTenantWhere } from '../tenancy/scope';
import { apiMessage } from '../i18n/api-messages';

type Json = Record<string, unknown>;

const SOURCE_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

function checkSourceId(id: string): void {
  if (!SOURCE_ID.test(id)) throw new BadRequestError(apiMessage('sourceIdInvalid'));
}

async function emitChanged(tx: Tx, actor: AdminActor, what: string, sourceId: string): Promise<void> {
  await emitEvent(tx, actor, {
    tenantId: actor.tenantId,
    type: SEVT.SEVT_TENANT_UPDATED,
    resourceId: wireOrganizationId(actor.tenantId),
    data: { ExternalAuthenticationSource: sourceId, Change: what },
  });
}

/** AdminExternalAuthSourcesGet: the caller's tenant's sources by ID, secrets blank. */
export async function getExternalAuthSources({ actor }: { actor: AdminActor }): Promise<Record<string, Json>> {
  const rows = await db().externalAuthSource.findMany({ where: ownTenantWhere(actor), select: { sourceId: true, data: true }, orderBy: { createdAt: 'asc' } });
  const out: Record<string, Json> = {};
  for (const row of rows) out[row.sourceId] = sourceToWire(row.data);
  return out;
}

function prepare(actor: AdminActor, source: Json, stored: string | null, where: string) {
  validateSource(source, where);
  const { data, secrets } = splitSecrets({ ...source, NewUserPermissions: clampNewUserPermissions(actor, source.NewUserPermissions) }, stored ? unsealSecrets(stored) : null);
  return { type: String(source.Type), data: data as object, secrets: sealSecrets(secrets) };
}

/** AdminExternalAuthSourcesNew: adds a source (or replaces the one with the given SourceID). */
export async function newExternalAuthSource(opts: { actor: AdminActor; source: Json; sourceId?: string }) {
  const { actor } = opts;
  const sourceId = opts.sourceId && opts.sourceId !== '' ? opts.sourceId : randomUUID();
  checkSourceId(sourceId);
  validateSource(opts.source, 'Source');
  const before = await db().externalAuthSource.findUnique({ where: { tenantId_sourceId: { ...ownTenantWhere(actor), sourceId } }, select: { data: true } });
  await checkSourceTargets(opts.source, before?.data ?? null, 'Source');
  const row = await db().$transaction(async (tx) => {
    const existing = await tx.externalAuthSource.findUnique({ where: { tenantId_sourceId: { ...ownTenantWhere(actor), sourceId } }, select: { secrets: true } });
    const p = prepare(actor, opts.source, existing?.secrets ?? null, 'Source');
    const saved = await tx.externalAuthSource.upsert({
      where: { tenantId_sourceId: { ...ownTenantWhere(actor), sourceId } },
      create: { tenantId: actor.tenantId, sourceId, ...p },
      update: p,
      select: { data: true },
    });
    await emitChanged(tx, actor, existing ? 'updated' : 'added', sourceId);
    return saved;
  });
  return { Status: 200, Message: 'OK', ID: sourceId, Source: sourceToWire(row.data) };
}

/** AdminExternalAuthSourcesSet: replaces the tenant's whole map; empty secrets keep the stored value of the same ID. */
export async function setExternalAuthSources({ actor, sources }: { actor: AdminActor; sources: Record<string, Json> | null }): Promise<void> {
  const incoming = sources ?? {};
  for (const id of Object.keys(incoming)) checkSourceId(id);
  const before = new Map((await db().externalAuthSource.findMany({ where: ownTenantWhere(actor), select: { sourceId: true, data: true } })).map((r) => [r.sourceId, r.data]));
  for (const [id, source] of Object.entries(incoming)) {
    const where = `Sources[${JSON.stringify(id)}]`;
    validateSource(source ?? {}, where);
    await checkSourceTargets(source ?? {}, before.get(id) ?? null, where);
  }
  await db().$transaction(async (tx) => {
    const existing = await tx.externalAuthSource.findMany({ where: ownTenantWhere(actor), select: { sourceId: true, secrets: true } });
    const stored = new Map(existing.map((r) => [r.sourceId, r.secrets]));
    const prepared = Object.entries(incoming).map(([id, source]) => [id, prepare(actor, source ?? {}, stored.get(id) ?? null, `Sources[${JSON.stringify(id)}]`)] as const);
    await tx.externalAuthSource.deleteMany({ where: { ...ownTenantWhere(actor), sourceId: { notIn: Object.keys(incoming) } } });
    for (const [sourceId, p] of prepared) {
      await tx.externalAuthSource.upsert({ where: { tenantId_sourceId: { ...ownTenantWhere(actor), sourceId } }, create: { tenantId: actor.tenantId, sourceId, ...p }, update: p });
    }
    await emitChanged(tx, actor, 'replaced', '*');
  });
}

/** AdminExternalAuthSourcesDelete. A foreign tenant's ID is answered like a missing one. */
export async function deleteExternalAuthSource({ actor, sourceId }: { actor: AdminActor; sourceId: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const removed = await tx.externalAuthSource.deleteMany({ where: { ...ownTenantWhere(actor), sourceId } });
    if (removed.count === 0) throw new NotFoundError(apiMessage('authSourceNotFound', { id: sourceId.slice(0, 128) }));
    await emitChanged(tx, actor, 'removed', sourceId);
  });
}
