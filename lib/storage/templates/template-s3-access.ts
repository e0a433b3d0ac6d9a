// How to reach a Storage Template's storage over the S3 API with the template's own (master)
// credentials, for code that lists or inspects what the template's vaults live in (e.g. Constellation).
// comet and custom templates have no S3 side (null). b2 asks B2 for its S3-compatible endpoint.
import { b2Authorize } from './b2-api';
import { iamSettings } from './iam-settings';
import type { Json } from './template-secrets';
import { withDefaultScheme } from '../../validation/url-parts';

type TTemplateS3Access = {
  /** http(s):// URL of the S3 API. */
  endpoint: string;
  region: string;
  accessKey: string;
  secretKey: string;
  /** The template's MasterBucket ("" when every vault gets its own bucket). */
  bucket: string;
  /** Key prefix inside `bucket` under which the template's vaults live ("" for none). */
  prefix: string;
};

export async function templateS3Access(template: Json): Promise<TTemplateS3Access | null> {
  if (template.Type === 'b2') {
    const b2 = (template.B2 ?? {}) as Json;
    const session = await b2Authorize(String(b2.APIEndpoint ?? ''), String(b2.KeyID ?? ''), String(b2.AppKey ?? ''));
    if (!session.s3ApiUrl) return null;
    const region = /^s3\.([a-z0-9-]+)\.backblazeb2\.com$/i.exec(new URL(session.s3ApiUrl).hostname)?.[1] ?? 'us-east-1';
    return { endpoint: session.s3ApiUrl, region, accessKey: String(b2.KeyID ?? ''), secretKey: String(b2.AppKey ?? ''), bucket: String(b2.MasterBucket ?? ''), prefix: '' };
  }
  const s = iamSettings(template);
  if (!s) return null;
  const endpoint = withDefaultScheme(s.s3Endpoint, 'https');
  return { endpoint, region: s.region || 'us-east-1', accessKey: s.accessKey, secretKey: s.secretKey, bucket: s.masterBucket, prefix: s.prefix };
}
