// The template types Halley provisions, in the order they are offered, and what each needs.
import { BadRequestError } from '../../errors';
import type { Json } from './template-secrets';
import { apiMessage } from '../../i18n/api-messages';

const TEMPLATE_TYPES = ['comet', 's3', 'custom'] as const;
type TTemplateType = (typeof TEMPLATE_TYPES)[number];

function isTemplateType(t: unknown): t is TTemplateType {
  return typeof t === 'string' && (TEMPLATE_TYPES as readonly string[]).includes(t);
}

/** The endpoint URLs a template makes the server contact (for the outbound guard). */
export function templateTargets(o: Json): string[] {
  if (o.Type === 'comet') return o.RemoteAddress ? [String(o.RemoteAddress)] : [];
  if (o.Type === 's3') return [String(o.S3?.S3Endpoint ?? '')];
  if (o.Type === 'custom') return [String(o.Custom?.URL ?? '')];
  return [];
}

/** Checks the fields a template of its type needs; `where` names it in messages. */
export function checkTemplate(o: Json, where: string): void {
  if (!isTemplateType(o.Type)) {
    throw new BadRequestError(apiMessage('templateTypeUnsupported', { where, type: String(o.Type ?? '').slice(0, 40), types: TEMPLATE_TYPES.join(', ') }));
  }
  if (typeof o.Description !== 'string' || o.Description.trim() === '') throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.Description` }));
  if (o.StorageLimitEnabled && !(Number(o.StorageLimitBytes) > 0)) throw new BadRequestError(apiMessage('templateLimitPositive', { where }));
  if (o.Type === 'comet' && o.RemoteAddress && !/^https?:\/\//i.test(String(o.RemoteAddress))) {
    throw new BadRequestError(apiMessage('templateRemoteAddressInvalid', { where }));
  }
  if (o.Type === 's3') {
    if (!o.S3?.S3Endpoint) throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.S3.S3Endpoint` }));
    if (!o.S3?.AccessKey) throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.S3.AccessKey` }));
  }
  if (o.Type === 'custom' && !/^https?:\/\//i.test(String(o.Custom?.URL ?? ''))) throw new BadRequestError(apiMessage('fieldNotHttpUrl', { field: `${where}.Custom.URL` }));
}
