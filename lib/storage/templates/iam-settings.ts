// Where an IAM-style Storage Template's S3 and IAM APIs are, and with which master credentials. Comet's
// template types and the field that holds their settings:
// - aws (AWS: AmazonAWSVirtualStorageRoleSettings): s3.amazonaws.com / iam.amazonaws.com, us-east-1;
// - wasabi (Wasabi: WasabiVirtualStorageRoleSettings): s3.wasabisys.com / iam.wasabisys.com, us-east-1;
// - idrivee2 and s3 with an IAMEndpoint (S3: S3GenericVirtualStorageRole, "IDrive e2, or Custom
//   IAM-compatible"): the template's S3Endpoint, IAMEndpoint and Region.
// Halley extension: AWS and Wasabi settings may carry S3Endpoint / IAMEndpoint / Region to override the
// provider's public endpoints (a private region, a gateway, or a local test server).
import type { Json } from './template-secrets';

type TIamSettings = {
  s3Endpoint: string;
  iamEndpoint: string;
  region: string;
  accessKey: string;
  secretKey: string;
  masterBucket: string;
  prefix: string;
  objectLockMode: number;
  objectLockDays: number;
  removeDeleted: boolean;
};

const PUBLIC_ENDPOINTS: Record<string, { s3: string; iam: string; region: string; field: 'AWS' | 'Wasabi' }> = {
  aws: { s3: 'https://s3.amazonaws.com', iam: 'https://iam.amazonaws.com', region: 'us-east-1', field: 'AWS' },
  wasabi: { s3: 'https://s3.wasabisys.com', iam: 'https://iam.wasabisys.com', region: 'us-east-1', field: 'Wasabi' },
};

/** The settings field an IAM-style type keeps its settings in. */
export function iamField(type: unknown): 'AWS' | 'Wasabi' | 'S3' | null {
  if (type === 'aws' || type === 'wasabi') return PUBLIC_ENDPOINTS[type].field;
  if (type === 'idrivee2' || type === 's3') return 'S3';
  return null;
}

/** True when the template makes per-vault IAM credentials (an "s3" template only with an IAMEndpoint). */
export function usesIam(t: Json): boolean {
  if (t.Type === 's3') return String(t.S3?.IAMEndpoint ?? '').trim() !== '';
  return iamField(t.Type) !== null;
}

export function iamSettings(t: Json): TIamSettings | null {
  const field = iamField(t.Type);
  if (!field) return null;
  const s = (t[field] ?? {}) as Json;
  const fixed = PUBLIC_ENDPOINTS[String(t.Type)];
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  return {
    s3Endpoint: text(s.S3Endpoint) || fixed?.s3 || '',
    iamEndpoint: text(s.IAMEndpoint) || fixed?.iam || '',
    region: text(s.Region) || fixed?.region || '',
    accessKey: text(s.AccessKey),
    secretKey: typeof s.SecretKey === 'string' ? s.SecretKey : '',
    masterBucket: text(s.MasterBucket),
    prefix: text(s.Prefix),
    objectLockMode: Number(s.ObjectLockMode ?? 0),
    objectLockDays: Number(s.ObjectLockDays ?? 0),
    removeDeleted: s.RemoveDeleted === true,
  };
}
