// Shared storage quotas (Comet "SharedStorageQuota"): what the squota functions share — the row's Comet shape,
// its change hash, the not-found error and the id/limit checks.
import { createHash } from 'node:crypto';
import { BadRequestError, NotFoundError } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { canonicalJson } from '../profile/hash';
import { wireOrganizationId } from '../tenancy/actor';
import { apiMessage } from '../i18n/api-messages';

export type SharedQuotaRow = Prisma.SharedStorageQuotaGetPayload<object>;
export type TSharedStorageQuota = { Description: string; OrganizationID: string; LimitBytes: number };

export function sharedQuotaDto(row: SharedQuotaRow): TSharedStorageQuota {
  return { Description: row.description, OrganizationID: wireOrganizationId(row.tenantId), LimitBytes: Number(row.limitBytes) };
}

export function sharedQuotaHash(row: SharedQuotaRow): string {
  return createHash('sha256').update(canonicalJson(sharedQuotaDto(row))).digest('hex');
}

export function sharedQuotaNotFound(id: string): NotFoundError {
  return new NotFoundError(apiMessage('sharedQuotaNotFound', { id: id.slice(0, 100) }));
}

export function checkSharedQuotaId(id: string): string {
  const clean = id.trim();
  if (clean === '' || clean.length > 255) throw new BadRequestError(apiMessage('sharedQuotaIdInvalid'));
  return clean;
}

/** The SharedStorageQuota fields Halley stores, checked: a description of at most 255 characters and a positive whole byte count. */
export function checkSharedQuota(quota: Record<string, unknown>): { description: string; limitBytes: bigint } {
  const description = quota.Description === undefined ? '' : quota.Description;
  if (typeof description !== 'string') throw new BadRequestError(apiMessage('fieldWrongType', { field: 'SharedStorageQuota.Description', kind: 'string' }));
  if (description.length > 255) throw new BadRequestError(apiMessage('fieldTooLong', { field: 'SharedStorageQuota.Description', limit: '255' }));
  const limit = quota.LimitBytes;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit <= 0) {
    throw new BadRequestError(apiMessage('sharedQuotaLimitInvalid'));
  }
  return { description, limitBytes: BigInt(limit) };
}
