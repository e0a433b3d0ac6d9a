// Policies (Comet "GroupPolicy"). A policy belongs to one tenant; accounts that name it carry a
// copy of its UserPolicy as their effective `Policy`, refreshed whenever the policy changes.
import { createHash, randomUUID } from 'node:crypto';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, type Tx } from '../db/client';
import { ConflictError, NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import type { Prisma } from '../generated/prisma/client';
import { canonicalJson } from '../profile/hash';
import { shapeWire } from '../profile/mapper';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { creationTenant, resolveTargetTenant, tenantWhere } from '../tenancy/scope';

type PolicyRow = Prisma.PolicyGetPayload<object>;

function groupPolicyDto(row: PolicyRow): Record<string, unknown> {
  return shapeWire('GroupPolicy', {
    Description: row.description,
    OrganizationID: wireOrganizationId(row.tenantId),
    Policy: row.policy ?? {},
    DefaultUserPolicy: row.defaultUserPolicy,
    CreatedDate: Number(row.createdDate),
    ModifiedDate: Number(row.modifiedDate),
    ...((row.data ?? {}) as Record<string, unknown>),
  }) as Record<string, unknown>;
}

function policyHash(row: PolicyRow): string {
  return createHash('sha256').update(canonicalJson(groupPolicyDto(row))).digest('hex');
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`Policy '${id.slice(0, 100)}' was not found`);
}

const KNOWN = new Set(['Description', 'OrganizationID', 'Policy', 'DefaultUserPolicy', 'CreatedDate', 'ModifiedDate']);
function unknownFields(policy: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(policy).filter(([k]) => !KNOWN.has(k)));
}

async function visiblePolicies(actor: AdminActor, targetOrganization?: string) {
  const target = await resolveTargetTenant(actor, targetOrganization);
  return db().policy.findMany({ where: tenantWhere(actor, target), orderBy: [{ createdDate: 'asc' }, { id: 'asc' }] });
}

export async function listPolicies({ actor, targetOrganization }: { actor: AdminActor; targetOrganization?: string }) {
  const rows = await visiblePolicies(actor, targetOrganization);
  return Object.fromEntries(rows.map((r) => [r.id, r.description]));
}

export async function listPoliciesFull({ actor, targetOrganization }: { actor: AdminActor; targetOrganization?: string }) {
  const rows = await visiblePolicies(actor, targetOrganization);
  return Object.fromEntries(rows.map((r) => [r.id, groupPolicyDto(r)]));
}

export async function getPolicy({ actor, policyId }: { actor: AdminActor; policyId: string }) {
  const row = await db().policy.findFirst({ where: { id: policyId, ...tenantWhere(actor) } });
  if (!row) throw notFound(policyId);
  return { Status: 200, Message: 'OK', Policy: groupPolicyDto(row), PolicyHash: policyHash(row) };
}

/** Only one default policy per tenant: setting one clears the flag on the others. */
async function clearOtherDefaults(tx: Tx, tenantId: string, keepId: string): Promise<void> {
  await tx.policy.updateMany({ where: { tenantId, defaultUserPolicy: true, NOT: { id: keepId } }, data: { defaultUserPolicy: false } });
}

/** Refreshes the effective Policy copy in every account that uses this policy. */
async function propagate(tx: Tx, actor: AdminActor, row: PolicyRow): Promise<void> {
  const accounts = await tx.account.findMany({ where: { tenantId: row.tenantId, policyId: row.id }, select: { id: true, username: true } });
  if (!accounts.length) return;
  await tx.$executeRaw`UPDATE "Account" SET data = jsonb_set(data, '{Policy}', ${JSON.stringify(row.policy ?? {})}::jsonb), "updatedAt" = now()
    WHERE "tenantId" = ${row.tenantId} AND "policyId" = ${row.id}`;
  for (const a of accounts) {
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_ACCOUNT_UPDATED, resourceId: a.username, data: { Username: a.username } });
  }
}

/** AdminPoliciesNew. Top-level admins may create it in a tenant through GroupPolicy.OrganizationID. */
export async function newPolicy({ actor, policy }: { actor: AdminActor; policy: Record<string, unknown> }) {
  const org = typeof policy.OrganizationID === 'string' ? policy.OrganizationID : '';
  const tenantId = actor.isTopLevel ? await creationTenant(actor, org || undefined) : actor.tenantId;
  const now = BigInt(Math.floor(Date.now() / 1000));
  return db().$transaction(async (tx) => {
    const row = await tx.policy.create({
      data: {
        id: randomUUID(),
        tenantId,
        description: typeof policy.Description === 'string' ? policy.Description : '',
        defaultUserPolicy: policy.DefaultUserPolicy === true,
        policy: (policy.Policy ?? {}) as object,
        data: unknownFields(policy) as object,
        createdDate: now,
        modifiedDate: now,
      },
    });
    if (row.defaultUserPolicy) await clearOtherDefaults(tx, tenantId, row.id);
    await emitEvent(tx, actor, { tenantId, type: SEVT.SEVT_POLICY_NEW, resourceId: row.id, data: { PolicyID: row.id, Description: row.description } });
    // Comet's CreateGroupPolicyResponse has no ID field: the new ID is the Message, and Halley adds PolicyID.
    return { Status: 200, Message: row.id, PolicyHash: policyHash(row), PolicyID: row.id };
  });
}

/** AdminPoliciesSet, optionally guarded by CheckPolicyHash. */
export async function setPolicy(opts: { actor: AdminActor; policyId: string; policy: Record<string, unknown>; checkHash?: string; deleteSources?: string[] }) {
  const { actor, policyId, policy } = opts;
  await db().$transaction(async (tx) => {
    const current = await tx.policy.findFirst({ where: { id: policyId, ...tenantWhere(actor) } });
    if (!current) throw notFound(policyId);
    await tx.$executeRaw`SELECT 1 FROM "Policy" WHERE id = ${current.id} FOR UPDATE`;
    const locked = (await tx.policy.findUnique({ where: { id: current.id } }))!;
    if (opts.checkHash && opts.checkHash !== policyHash(locked)) {
      throw new ConflictError('The policy was changed by someone else since it was read (hash mismatch): read it again and retry');
    }
    const row = await tx.policy.update({
      where: { id: locked.id },
      data: {
        description: typeof policy.Description === 'string' ? policy.Description : '',
        defaultUserPolicy: policy.DefaultUserPolicy === true,
        policy: (policy.Policy ?? {}) as object,
        data: unknownFields(policy) as object,
        modifiedDate: BigInt(Math.floor(Date.now() / 1000)),
      },
    });
    if (row.defaultUserPolicy) await clearOtherDefaults(tx, row.tenantId, row.id);
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_POLICY_UPDATED, resourceId: row.id, data: { PolicyID: row.id, Description: row.description } });
    await propagate(tx, actor, row);
    if (opts.deleteSources?.length) {
      // PolicyOptions.DeleteSources: protected items created from this policy's defaults that are to go.
      await tx.protectedItem.deleteMany({ where: { tenantId: row.tenantId, itemId: { in: opts.deleteSources }, account: { policyId: row.id } } });
    }
  });
}

/** AdminPoliciesDelete. Accounts keep their effective policy copy but no longer follow the policy. */
export async function deletePolicy({ actor, policyId }: { actor: AdminActor; policyId: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const row = await tx.policy.findFirst({ where: { id: policyId, ...tenantWhere(actor) } });
    if (!row) throw notFound(policyId);
    await tx.policy.delete({ where: { id: row.id } });
    await tx.account.updateMany({ where: { tenantId: row.tenantId, policyId: row.id }, data: { policyId: '' } });
    await emitEvent(tx, actor, { tenantId: row.tenantId, type: SEVT.SEVT_POLICY_REMOVED, resourceId: row.id, data: { PolicyID: row.id } });
  });
}
