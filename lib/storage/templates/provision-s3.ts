// "s3" (S3-compatible) templates: with MasterBucket, a per-vault prefix under that bucket (checked to be
// reachable and writable with a marker object); otherwise a new bucket per vault (with object lock when
// the template asks: ObjectLockMode OBJECT_LOCK_ON, or the legacy UseObjectLock with OBJECT_LOCK_LEGACY).
// The vault gets the template's credentials; object-lock settings pass through.
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DESTINATIONTYPE, OBJECT_LOCK } from '../../comet/constants';
import { allowPrivateTargets } from '../../net/private-targets';
import { guardedS3Client, s3EndpointUrl } from '../s3-client';
import type { ProvisionContext, Provisioned } from './provisioned';
import type { Json } from './template-secrets';

const MARKER = 'halley-vault-marker';

async function s3ClientFor(s3: Json): Promise<S3Client> {
  return guardedS3Client({ endpoint: String(s3.S3Endpoint ?? ''), region: s3.Region, accessKey: String(s3.AccessKey ?? ''), secretKey: String(s3.SecretKey ?? ''), allowPrivate: await allowPrivateTargets() });
}

function cleanPrefix(p: string): string {
  const t = p.replace(/^\/+|\/+$/g, '');
  return t ? `${t}/` : '';
}

export async function provisionS3(t: Json, _ctx: ProvisionContext): Promise<Provisioned> {
  const s3 = (t.S3 ?? {}) as Json;
  const client = await s3ClientFor(s3);
  const url = s3EndpointUrl(String(s3.S3Endpoint));
  const common = {
    DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_S3,
    S3Server: url.host,
    S3UsesTLS: url.protocol === 'https:',
    S3AccessKey: String(s3.AccessKey ?? ''),
    S3SecretKey: String(s3.SecretKey ?? ''),
    S3CustomRegion: String(s3.Region ?? ''),
    S3RemoveDeleted: s3.RemoveDeleted === true,
    S3ObjectLockMode: Number(s3.ObjectLockMode ?? 0),
    S3ObjectLockDays: Number(s3.ObjectLockDays ?? 0),
  };
  const id = randomBytes(8).toString('hex');
  try {
    if (s3.MasterBucket) {
      const subdir = `${cleanPrefix(String(s3.Prefix ?? ''))}${id}`;
      await client.send(new PutObjectCommand({ Bucket: s3.MasterBucket, Key: `${subdir}/${MARKER}`, Body: 'halley' }));
      return {
        location: { ...common, S3BucketName: String(s3.MasterBucket), S3Subdir: subdir },
        undo: async () => void (await client.send(new DeleteObjectCommand({ Bucket: s3.MasterBucket, Key: `${subdir}/${MARKER}` }))),
      };
    }
    const base = String(s3.Prefix ?? '').toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 40) || 'halley';
    const bucket = `${base}-${id}`;
    // The console sets ObjectLockMode; older callers send only the deprecated UseObjectLock (mode LEGACY).
    const mode = Number(s3.ObjectLockMode ?? OBJECT_LOCK.OBJECT_LOCK_LEGACY);
    const lock = mode === OBJECT_LOCK.OBJECT_LOCK_ON || (mode === OBJECT_LOCK.OBJECT_LOCK_LEGACY && s3.UseObjectLock === true);
    await client.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: lock || undefined }));
    return { location: { ...common, S3BucketName: bucket, S3Subdir: '' }, undo: async () => void (await client.send(new DeleteBucketCommand({ Bucket: bucket }))) };
  } catch (err) {
    client.destroy();
    throw err;
  }
}
