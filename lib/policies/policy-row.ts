// Policies (Comet "GroupPolicy"). A policy belongs to one tenant; accounts that name it carry a
// copy of its UserPolicy as their effective `Policy`, refreshed whenever the policy changes. This file
// holds what the policy functions share: the row's Comet shape, its hash and the not-found error.
import { createHash } from 'node:crypto';
import { NotFoundError } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { canonicalJson } from '../profile/hash';
import { shapeWire } from '../profile/mapper';
import { wireOrganizationId } from '../tenancy/actor';
import { apiMessage } from '../i18n/api-messages';

export type PolicyRow = Prisma.PolicyGetPayload<object>;

export function groupPolicyDto(row: PolicyRow): Record<string, unknown> {
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

export function policyHash(row: PolicyRow): string {
  return createHash('sha256').update(canonicalJson(groupPolicyDto(row))).digest('hex');
}

export function policyNotFound(id: string): NotFoundError {
  return new NotFoundError(apiMessage('policyNotFound', { id: id.slice(0, 100) }));
}

const KNOWN = new Set(['Description', 'OrganizationID', 'Policy', 'DefaultUserPolicy', 'CreatedDate', 'ModifiedDate']);
/** The GroupPolicy fields without a column, kept in `data` so the policy round-trips. */
export function unknownPolicyFields(policy: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(policy).filter(([k]) => !KNOWN.has(k)));
}
