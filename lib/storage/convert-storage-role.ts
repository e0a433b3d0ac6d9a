// AdminConvertStorageRole: Comet turns a vault on an IAM-backed Storage Role (a Comet-type vault whose bucket
// the Storage Role keeps in S3-compatible storage) into a direct vault of that underlying S3 type. Halley's
// Storage Role keeps its buckets on its own disk (lib/storage/bucket-paths.ts): there is never an underlying
// S3 bucket to hand over. So after Comet's checks (the user in scope, the vault on that user's profile, the
// vault of the Storage Role type) the call answers which of the cases applies, and changes nothing.
import { DESTINATIONTYPE } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import { userNotFound } from '../users/find-account';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

type TRequestStorageVaultResponse = { Status: number; Message: string; DestinationID: string; ProfileHash: string; Profile: Record<string, unknown> };

export async function convertStorageRole({ actor, username, destinationId }: { actor: AdminActor; username: string; destinationId: string }): Promise<TRequestStorageVaultResponse> {
  const account = await db().account.findFirst({ where: { username, ...tenantWhere(actor) }, select: { id: true, tenantId: true } });
  if (!account) throw userNotFound(username);
  const id = destinationId.slice(0, 100);
  const vault = await db().storageVault.findFirst({ where: { accountId: account.id, vaultId: destinationId, ...tenantWhere(actor) }, select: { destinationType: true, data: true } });
  if (!vault) throw new NotFoundError(apiMessage('vaultNotFound', { id }));
  if (Number(vault.destinationType) !== DESTINATIONTYPE.DESTINATIONTYPE_COMET) {
    throw new BadRequestError(apiMessage('convertNotStorageRole', { id, type: Number(vault.destinationType) }));
  }
  const bucketId = String((vault.data as Record<string, unknown>).CometBucket ?? '');
  // tenancy: derived — the bucket named by a vault of an account reached through tenantWhere, in that account's tenant
  const local = bucketId !== '' && (await db().storageBucket.findFirst({ where: { id: bucketId, tenantId: account.tenantId }, select: { id: true } }));
  if (local) throw new BadRequestError(apiMessage('convertLocalStorageRole', { id }));
  throw new BadRequestError(apiMessage('convertRemoteStorageRole', { id }));
}
