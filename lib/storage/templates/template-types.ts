// The template types Halley provisions, in the order they are offered, and what each needs.
import { BadRequestError } from '../../errors';
import { B2_DEFAULT_API } from './b2-api';
import { iamField, iamSettings } from './iam-settings';
import type { Json } from './template-secrets';

const TEMPLATE_TYPES = ['comet', 's3', 'custom', 'aws', 'wasabi', 'idrivee2', 'b2'] as const;
type TTemplateType = (typeof TEMPLATE_TYPES)[number];

function isTemplateType(t: unknown): t is TTemplateType {
  return typeof t === 'string' && (TEMPLATE_TYPES as readonly string[]).includes(t);
}

/** The endpoint URLs a template makes the server contact (for the outbound guard). */
export function templateTargets(o: Json): string[] {
  if (o.Type === 'comet') return o.RemoteAddress ? [String(o.RemoteAddress)] : [];
  if (o.Type === 'custom') return [String(o.Custom?.URL ?? '')];
  if (o.Type === 'b2') return [String(o.B2?.APIEndpoint ?? '').trim() || B2_DEFAULT_API];
  const s = iamSettings(o);
  if (!s) return [];
  return o.Type === 's3' && !s.iamEndpoint ? [s.s3Endpoint] : [s.s3Endpoint, s.iamEndpoint];
}

const isUrlish = (v: unknown) => typeof v === 'string' && /^(https?:\/\/)?[^\s/]+(\/\S*)?$/i.test(v.trim());

/** Checks the fields a template of its type needs; `where` names it in messages. */
export function checkTemplate(o: Json, where: string): void {
  if (!isTemplateType(o.Type)) {
    throw new BadRequestError(`${where}.Type '${String(o.Type ?? '').slice(0, 40)}' is not supported: Halley provisions ${TEMPLATE_TYPES.join(', ')}`);
  }
  if (typeof o.Description !== 'string' || o.Description.trim() === '') throw new BadRequestError(`${where}.Description must not be empty`);
  if (o.StorageLimitEnabled && !(Number(o.StorageLimitBytes) > 0)) throw new BadRequestError(`${where}.StorageLimitBytes must be positive when StorageLimitEnabled is set`);
  if (o.Type === 'comet' && o.RemoteAddress && !/^https?:\/\//i.test(String(o.RemoteAddress))) {
    throw new BadRequestError(`${where}.RemoteAddress must be an http:// or https:// URL of a Halley or Comet Storage Role (empty: this server)`);
  }
  if (o.Type === 'custom' && !/^https?:\/\//i.test(String(o.Custom?.URL ?? ''))) throw new BadRequestError(`${where}.Custom.URL must be an http:// or https:// URL`);
  if (o.Type === 'b2') {
    const b2 = (o.B2 ?? {}) as Json;
    if (!b2.KeyID || typeof b2.KeyID !== 'string') throw new BadRequestError(`${where}.B2.KeyID must not be empty`);
    if (b2.APIEndpoint && !/^https?:\/\//i.test(String(b2.APIEndpoint))) throw new BadRequestError(`${where}.B2.APIEndpoint must be an http:// or https:// URL (empty: ${B2_DEFAULT_API})`);
    return;
  }
  const field = iamField(o.Type);
  if (!field) return;
  const s = (o[field] ?? {}) as Json;
  if (o.Type === 's3' || o.Type === 'idrivee2') {
    if (!s.S3Endpoint) throw new BadRequestError(`${where}.S3.S3Endpoint must not be empty`);
    if (o.Type === 'idrivee2' && !s.IAMEndpoint) throw new BadRequestError(`${where}.S3.IAMEndpoint must not be empty (the IAM endpoint of the iDrive e2 region)`);
  }
  for (const name of ['S3Endpoint', 'IAMEndpoint'] as const) {
    if (s[name] && !isUrlish(s[name])) throw new BadRequestError(`${where}.${field}.${name} must be a host name or an http:// or https:// URL`);
  }
  if (!s.AccessKey) throw new BadRequestError(`${where}.${field}.AccessKey must not be empty`);
}
