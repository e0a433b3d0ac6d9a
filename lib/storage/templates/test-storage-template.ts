// admin/meta/remote-storage-vault/test (AdminMetaRemoteStorageVaultTest): checks a template without
// provisioning anything. Credentials left "" are taken from the stored template of the same ID.
// comet: this server's storage folder is writable, or the remote server accepts the admin credentials on
// its Storage Role (list-buckets); s3 and the IAM-style types: the master credentials list buckets (or
// reach MasterBucket) and, where vaults get IAM users, the IAM endpoint accepts them (ListUsers); b2: the
// key authorizes (and sees MasterBucket); custom: the URL answers HTTP at all. Every connection passes
// the outbound guard.
import fs from 'node:fs/promises';
import path from 'node:path';
import { HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { BadRequestError, CauseError } from '../../errors';
import { keepStoredSecrets, mergeSecrets } from '../../profile/mapper';
import { unsealJson } from '../../secrets';
import { db } from '../../db/client';
import type { AdminActor } from '../../tenancy/actor';
import { targetTenant } from '../../tenancy/scope';
import { storageRoot } from '../bucket-paths';
import { callRemoteApi, guardedRequest } from '../guarded-request';
import { b2Authorize, b2Call } from './b2-api';
import { iamCall } from './iam-api';
import { iamSettings, usesIam } from './iam-settings';
import { checkTemplateTargets } from './set-storage-templates';
import { splitTemplate, type Json } from './template-secrets';
import { templateS3Access } from './template-s3-access';
import { checkTemplate } from './template-types';
import { guardedS3Client } from '../s3-client';
import { allowPrivateTargets } from '../../net/private-targets';
import { apiMessage, apiMessageWithEnglish, type ApiMessage } from '../../i18n/api-messages';
import { failureCause } from '../../i18n/failure-cause';

async function withStoredSecrets(actor: AdminActor, option: Json, targetOrganization: string | undefined): Promise<Json> {
  if (!option.ID) return option;
  const tenantId = await targetTenant(actor, targetOrganization);
  // tenancy: derived — tenantId is targetTenant(...) just above
  const row = await db().storageTemplate.findFirst({ where: { tenantId, templateId: String(option.ID) }, select: { secrets: true } });
  if (!row) return option;
  const { public: pub, secrets } = splitTemplate(option);
  return mergeSecrets(pub, keepStoredSecrets(secrets, unsealJson<Json>(row.secrets), pub));
}

/** What the test found, as a catalogue message (the endpoint answers it in the caller's language). */
export async function testStorageTemplate({ actor, option, targetOrganization }: { actor: AdminActor; option: Json; targetOrganization?: string }): Promise<ApiMessage> {
  checkTemplate(option, 'TemplateOptions');
  await checkTemplateTargets(option, 'TemplateOptions');
  const t = await withStoredSecrets(actor, option, targetOrganization);
  try {
    if (t.Type === 'comet') {
      if (!t.RemoteAddress) {
        const probe = path.join(storageRoot(), `.probe-${process.pid}`);
        await fs.mkdir(storageRoot(), { recursive: true });
        await fs.writeFile(probe, 'ok');
        await fs.rm(probe);
        return apiMessage('templateTestLocalReady');
      }
      await callRemoteApi(String(t.RemoteAddress), '/api/v1/admin/storage/list-buckets', { username: String(t.Username ?? ''), password: String(t.Password ?? '') }, {});
      return apiMessage('templateTestRemoteAccepted', { address: String(t.RemoteAddress).slice(0, 200) });
    }
    if (t.Type === 'b2') {
      const b2 = (t.B2 ?? {}) as Json;
      const session = await b2Authorize(String(b2.APIEndpoint ?? ''), String(b2.KeyID ?? ''), String(b2.AppKey ?? ''));
      if (!b2.MasterBucket) return apiMessage('templateTestKeyAccepted');
      const listed = await b2Call(session, 'b2_list_buckets', { accountId: session.accountId, bucketName: String(b2.MasterBucket) });
      if (!((listed.buckets ?? []) as Json[]).some((b) => b.bucketName === b2.MasterBucket)) {
        throw new CauseError(apiMessageWithEnglish('causeBucketNotFound', {}, `B2 bucket ${b2.MasterBucket} was not found`));
      }
      return apiMessage('templateTestBucketReachable', { bucket: String(b2.MasterBucket) });
    }
    const access = await templateS3Access(t);
    if (access) {
      const client = guardedS3Client({ endpoint: access.endpoint, region: access.region, accessKey: access.accessKey, secretKey: access.secretKey, allowPrivate: await allowPrivateTargets() });
      try {
        if (access.bucket) await client.send(new HeadBucketCommand({ Bucket: access.bucket }));
        else await client.send(new ListBucketsCommand({}));
      } finally {
        client.destroy();
      }
      const s = iamSettings(t)!;
      if (usesIam(t)) await iamCall({ endpoint: s.iamEndpoint, region: s.region, accessKey: s.accessKey, secretKey: s.secretKey }, 'ListUsers', { MaxItems: '1' });
      return access.bucket ? apiMessage('templateTestBucketReachable', { bucket: access.bucket }) : apiMessage('templateTestCredentialsAccepted');
    }
    const res = await guardedRequest(String(t.Custom?.URL), { method: 'HEAD' }, 'storage provisioning URL');
    return apiMessage('templateTestUrlAnswered', { status: String(res.status) });
  } catch (err) {
    if (err instanceof BadRequestError) throw err;
    // Known causes (guard refusal, DNS, refused, timeout, TLS, 401/403, missing bucket, bad URL) in the caller's
    // language; a far service's own words verbatim, quoted.
    throw new BadRequestError(apiMessage('templateTestFailed', { reason: failureCause(err) }));
  }
}
