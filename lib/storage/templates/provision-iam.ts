// IAM-style templates (aws, wasabi, idrivee2, and s3 with an IAMEndpoint): each vault gets its own IAM
// user whose only permission is an inline policy on its own storage, and its own access key, so one
// device's key never opens another's data. With MasterBucket the vault is a prefix in that bucket (a
// marker object proves it writable) and the policy allows that prefix only; without, the vault gets a new
// bucket (object lock when the template asks) and the policy allows that bucket only. Made with the
// template's master credentials (S3 through the guarded S3 client, IAM through iam-api.ts); whatever was
// made is removed again, newest first, when a later step fails or the request is undone.
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DESTINATIONTYPE, OBJECT_LOCK } from '../../comet/constants';
import { BadRequestError, CauseError } from '../../errors';
import { apiMessage, apiMessageWithEnglish } from '../../i18n/api-messages';
import { log } from '../../log';
import { allowPrivateTargets } from '../../net/private-targets';
import { guardedS3Client, s3EndpointUrl } from '../s3-client';
import { iamCall, xmlValue } from './iam-api';
import { iamField, iamSettings } from './iam-settings';
import type { ProvisionContext, Provisioned } from './provisioned';
import type { Json } from './template-secrets';

const MARKER = 'halley-vault-marker';
/** The inline policy every vault user gets (Constellation finds and removes it with the user). */
export const POLICY_NAME = 'halley-vault';
/** Bucket-level actions a backup client needs on its own bucket (listing is prefix-bound with MasterBucket). */
const BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:GetBucketVersioning', 's3:GetBucketObjectLockConfiguration', 's3:ListBucketVersions'];
const OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObjectVersion', 's3:DeleteObjectVersion', 's3:GetObjectRetention', 's3:PutObjectRetention', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/** The inline policy of a vault's IAM user: its bucket, or its prefix in the master bucket, nothing else. */
function vaultPolicy(bucket: string, prefix: string): Json {
  const arn = `arn:aws:s3:::${bucket}`;
  if (!prefix) {
    return {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket', ...BUCKET_ACTIONS], Resource: [arn] },
        { Sid: 'Objects', Effect: 'Allow', Action: OBJECT_ACTIONS, Resource: [`${arn}/*`] },
      ],
    };
  }
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'List', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [arn], Condition: { StringLike: { 's3:prefix': [prefix, `${prefix}/*`] } } },
      { Sid: 'Bucket', Effect: 'Allow', Action: BUCKET_ACTIONS, Resource: [arn] },
      { Sid: 'Objects', Effect: 'Allow', Action: OBJECT_ACTIONS, Resource: [`${arn}/${prefix}/*`] },
    ],
  };
}

function cleanPrefix(p: string): string {
  const t = p.replace(/^\/+|\/+$/g, '');
  return t ? `${t}/` : '';
}

/** IAM user names: up to 64 of [\w+=,.@-]. */
function iamUserName(username: string, id: string): string {
  return `halley-${username.replace(/[^\w+=,.@-]/g, '-').slice(0, 36)}-${id}`;
}

export async function provisionIam(t: Json, ctx: ProvisionContext): Promise<Provisioned> {
  const s = iamSettings(t);
  if (!s || !s.s3Endpoint || !s.iamEndpoint) throw new BadRequestError(apiMessage('templateNoEndpoints', { template: String(t.Description).slice(0, 100) }));
  const s3Client = async () => guardedS3Client({ endpoint: s.s3Endpoint, region: s.region, accessKey: s.accessKey, secretKey: s.secretKey, allowPrivate: await allowPrivateTargets() });
  const iam = { endpoint: s.iamEndpoint, region: s.region, accessKey: s.accessKey, secretKey: s.secretKey };
  const id = randomBytes(8).toString('hex');
  const undo: Array<{ what: string; run: (c: S3Client) => Promise<unknown> }> = [];
  const undoAll = async () => {
    const c = await s3Client();
    try {
      for (const step of [...undo].reverse()) {
        // Keep going: each step removes something of its own; the log says what is left behind.
        await step.run(c).catch((err) => log.error({ err, step: step.what }, 'could not remove part of a provisioned storage vault'));
      }
    } finally {
      c.destroy();
    }
  };
  const s3 = await s3Client();
  try {
    let bucket: string;
    let subdir = '';
    if (s.masterBucket) {
      bucket = s.masterBucket;
      subdir = `${cleanPrefix(s.prefix)}${id}`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${subdir}/${MARKER}`, Body: 'halley' }));
      undo.push({ what: 'marker object', run: (c) => c.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${subdir}/${MARKER}` })) });
    } else {
      const base = s.prefix.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 40) || 'halley';
      bucket = `${base}-${id}`;
      // ObjectLockMode decides; the deprecated UseObjectLock only counts with mode LEGACY (as for "s3" templates).
      const lock = s.objectLockMode === OBJECT_LOCK.OBJECT_LOCK_ON || (s.objectLockMode === OBJECT_LOCK.OBJECT_LOCK_LEGACY && t[iamField(t.Type) ?? 'S3']?.UseObjectLock === true);
      await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: lock || undefined }));
      undo.push({ what: 'bucket', run: (c) => c.send(new DeleteBucketCommand({ Bucket: bucket })) });
    }
    const userName = iamUserName(ctx.username, id);
    await iamCall(iam, 'CreateUser', { UserName: userName, Path: '/halley/' });
    undo.push({ what: 'IAM user', run: () => iamCall(iam, 'DeleteUser', { UserName: userName }) });
    await iamCall(iam, 'PutUserPolicy', { UserName: userName, PolicyName: POLICY_NAME, PolicyDocument: JSON.stringify(vaultPolicy(bucket, subdir)) });
    undo.push({ what: 'IAM user policy', run: () => iamCall(iam, 'DeleteUserPolicy', { UserName: userName, PolicyName: POLICY_NAME }) });
    const made = await iamCall(iam, 'CreateAccessKey', { UserName: userName });
    const accessKeyId = xmlValue(made, 'AccessKeyId');
    const secret = xmlValue(made, 'SecretAccessKey');
    if (!accessKeyId || !secret) throw new CauseError(apiMessageWithEnglish('serviceCallAnsweredWithout', { service: 'IAM', call: 'CreateAccessKey', fields: 'AccessKeyId, SecretAccessKey' }, 'IAM CreateAccessKey answered without AccessKeyId and SecretAccessKey'));
    undo.push({ what: 'IAM access key', run: () => iamCall(iam, 'DeleteAccessKey', { UserName: userName, AccessKeyId: accessKeyId }) });
    const url = s3EndpointUrl(s.s3Endpoint);
    return {
      location: {
        DestinationType: DESTINATIONTYPE.DESTINATIONTYPE_S3,
        S3Server: url.host,
        S3UsesTLS: url.protocol === 'https:',
        S3AccessKey: accessKeyId,
        S3SecretKey: secret,
        S3BucketName: bucket,
        S3Subdir: subdir,
        S3CustomRegion: s.region,
        S3RemoveDeleted: s.removeDeleted,
        S3ObjectLockMode: s.objectLockMode,
        S3ObjectLockDays: s.objectLockDays,
      },
      undo: undoAll,
    };
  } catch (err) {
    await undoAll();
    throw err;
  } finally {
    s3.destroy();
  }
}
