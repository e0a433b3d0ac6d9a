// The template types Halley provisions, in the order they are offered, and what each needs.
import { BadRequestError } from '../../errors';
import { B2_DEFAULT_API } from './b2-api';
import { iamField, iamSettings } from './iam-settings';
import type { Json } from './template-secrets';
import { apiMessage } from '../../i18n/api-messages';
import { isEndpointAddress } from '../../validation/url-parts';
import { isHttpUrl } from '../../validation/http-url';
import { checkHttpUrlField } from '../../validation/check-field';

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

const isUrlish = (v: unknown) => typeof v === 'string' && isEndpointAddress(v);

/** Checks the fields a template of its type needs; `where` names it in messages. */
export function checkTemplate(o: Json, where: string): void {
  if (!isTemplateType(o.Type)) {
    throw new BadRequestError(apiMessage('templateTypeUnsupported', { where, type: String(o.Type ?? '').slice(0, 40), types: TEMPLATE_TYPES.join(', ') }));
  }
  if (typeof o.Description !== 'string' || o.Description.trim() === '') throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.Description` }));
  if (o.StorageLimitEnabled && !(Number(o.StorageLimitBytes) > 0)) throw new BadRequestError(apiMessage('templateLimitPositive', { where }));
  if (o.Type === 'comet' && o.RemoteAddress && !isHttpUrl(String(o.RemoteAddress))) {
    throw new BadRequestError(apiMessage('templateRemoteAddressInvalid', { where }));
  }
  if (o.Type === 'custom') checkHttpUrlField(String(o.Custom?.URL ?? ''), `${where}.Custom.URL`);
  if (o.Type === 'b2') {
    const b2 = (o.B2 ?? {}) as Json;
    if (!b2.KeyID || typeof b2.KeyID !== 'string') throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.B2.KeyID` }));
    if (b2.APIEndpoint) checkHttpUrlField(String(b2.APIEndpoint), `${where}.B2.APIEndpoint`);
    return;
  }
  const field = iamField(o.Type);
  if (!field) return;
  const s = (o[field] ?? {}) as Json;
  if (o.Type === 's3' || o.Type === 'idrivee2') {
    if (!s.S3Endpoint) throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.S3.S3Endpoint` }));
    if (o.Type === 'idrivee2' && !s.IAMEndpoint) throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.S3.IAMEndpoint` }));
  }
  for (const name of ['S3Endpoint', 'IAMEndpoint'] as const) {
    if (s[name] && !isUrlish(s[name])) throw new BadRequestError(apiMessage('fieldNotHost', { field: `${where}.${field}.${name}`, value: String(s[name]).slice(0, 200) }));
  }
  if (!s.AccessKey) throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.${field}.AccessKey` }));
}
