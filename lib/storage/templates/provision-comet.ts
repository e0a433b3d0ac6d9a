// "comet" templates: a bucket on a Storage Role. Without RemoteAddress, this Halley's own (the vault's
// CometServer is the SelfAddress the request came with); with it, another Halley or Comet server, through
// its admin/storage/register-bucket with the template's admin credentials (and delete-bucket on undo).
import { DESTINATIONTYPE } from '../../comet/constants';
import { BadRequestError } from '../../errors';
import { dropProvisionedBucket } from '../delete-bucket';
import { callRemoteApi, RemoteApiError } from '../guarded-request';
import { createBucket, newBucketKey } from '../register-bucket';
import type { ProvisionContext, Provisioned } from './provisioned';
import type { Json } from './template-secrets';
import { apiMessage } from '../../i18n/api-messages';
import { isHttpUrl } from '../../validation/http-url';

export async function provisionComet(t: Json, ctx: ProvisionContext): Promise<Provisioned> {
  const remote = String(t.RemoteAddress ?? '').trim();
  if (remote === '') {
    if (!isHttpUrl(ctx.selfAddress)) throw new BadRequestError(apiMessage('selfAddressForDevices'));
    const { key, hash } = await newBucketKey();
    const bucketId = await createBucket({ actor: ctx.actor, tenantId: ctx.tenantId, keyHash: hash });
    return {
      location: { DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_COMET, CometServer: ctx.selfAddress.replace(/\/+$/, ''), CometBucket: bucketId, CometBucketKey: key },
      undo: () => dropProvisionedBucket(ctx.actor, ctx.tenantId, bucketId),
    };
  }
  const creds = { username: String(t.Username ?? ''), password: String(t.Password ?? '') };
  const made = await callRemoteApi(remote, '/api/v1/admin/storage/register-bucket', creds, {});
  const bucketId = String(made.NewBucketID ?? '');
  if (!bucketId || !made.NewBucketKey) throw new RemoteApiError(apiMessage('remoteNoNewBucket', { server: remote }), 200);
  return {
    location: { DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_COMET, CometServer: remote.replace(/\/+$/, ''), CometBucket: bucketId, CometBucketKey: String(made.NewBucketKey) },
    undo: async () => void (await callRemoteApi(remote, '/api/v1/admin/storage/delete-bucket', creds, { BucketID: bucketId })),
  };
}
