// admin/storage/ping-destination (AdminStoragePingDestination, top level): the server tests a storage
// location itself. Comet-type locations: the Storage Role at CometServer accepts the bucket key (a list
// of one object); S3-compatible: the bucket is reachable with the credentials. Both through the outbound
// guard. Other types live where a device is (local paths, SMB, ...): test them from a device with
// dispatcher/ping-destination.
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { DESTINATIONTYPE } from '../comet/constants';
import { BadRequestError } from '../errors';
import { allowPrivateTargets } from '../net/private-targets';
import type { AdminActor } from '../tenancy/actor';
import { requireTopLevel } from '../tenancy/scope';
import { guardedRequest } from './guarded-request';
import { guardedS3Client } from './s3-client';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { failureCause } from '../i18n/failure-cause';
import { checkHttpUrlField } from '../validation/check-field';

type Json = Record<string, any>;

async function pingComet(l: Json): Promise<ApiMessage> {
  const server = String(l.CometServer ?? '').replace(/\/+$/, '');
  checkHttpUrlField(server, 'CometServer');
  const res = await guardedRequest(`${server}/storage/v1/${encodeURIComponent(String(l.CometBucket ?? ''))}?limit=1`, { method: 'GET', headers: { authorization: `Bearer ${String(l.CometBucketKey ?? '')}` } }, 'Storage Role server');
  if (res.status !== 200) throw new BadRequestError(apiMessage('storageRoleRefusedBucket', { server, status: res.status }));
  return apiMessage('locationReachable', { bucket: String(l.CometBucket ?? ''), server });
}

async function pingS3(l: Json): Promise<ApiMessage> {
  const client = guardedS3Client({ endpoint: String(l.S3Server ?? ''), useTls: l.S3UsesTLS === true, region: l.S3CustomRegion, accessKey: String(l.S3AccessKey ?? ''), secretKey: String(l.S3SecretKey ?? ''), allowPrivate: await allowPrivateTargets() });
  try {
    await client.send(new HeadBucketCommand({ Bucket: String(l.S3BucketName ?? '') }));
  } finally {
    client.destroy();
  }
  return apiMessage('locationReachable', { bucket: String(l.S3BucketName ?? ''), server: String(l.S3Server ?? '') });
}

/** What the ping found, as a catalogue message (answered in the caller's language). */
export async function pingDestination({ actor, location }: { actor: AdminActor; location: Json }): Promise<ApiMessage> {
  requireTopLevel(actor);
  const type = Number(location.DestinationType);
  try {
    if (type === DESTINATIONTYPE.DESTINATIONTYPE_COMET) return await pingComet(location);
    if (type === DESTINATIONTYPE.DESTINATIONTYPE_S3) return await pingS3(location);
  } catch (err) {
    if (err instanceof BadRequestError) throw err;
    // Known causes in the caller's language; a far service's own words verbatim, quoted.
    throw new BadRequestError(apiMessage('locationUnreachable', { reason: failureCause(err) }));
  }
  throw new BadRequestError(apiMessage('pingTypeUnsupported', { comet: DESTINATIONTYPE.DESTINATIONTYPE_COMET, s3: DESTINATIONTYPE.DESTINATIONTYPE_S3 }));
}
