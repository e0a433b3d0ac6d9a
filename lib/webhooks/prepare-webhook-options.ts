import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { allowPrivateTargets } from '../net/private-targets';
import type { AdminActor } from '../tenancy/actor';
import { checkWebhookUrl } from './check-webhook-url';
import { helloEvent } from './hello-event';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';

type Json = Record<string, unknown>;

const KNOWN = new Set(['URL', 'CustomHeaders', 'Level', 'WhiteListedEventTypes']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
/** Headers Halley sets itself; a CustomHeaders entry may not replace them. */
const RESERVED_HEADERS = /^(host|content-length|content-type|transfer-encoding|connection|keep-alive|upgrade|te|trailer|x-comet-tracing-id|x-halley-.*)$/i;
const MAX_WEBHOOKS = 100;

type Prepared = {
  name: string;
  /** Where in the request this entry was (for messages). */
  where: string;
  url: string;
  customHeaders: Record<string, string>;
  level: string;
  whiteListedEventTypes: number[];
  extra: Json;
};

function prepare(name: string, value: unknown, where: string): Prepared {
  if (name.length < 1 || name.length > 200 || /[\u0000-\u001f]/.test(name)) {
    throw new BadRequestError(apiMessage('webhookIdInvalid', { where }));
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError(apiMessage('webhookNotObject', { where }));
  const v = value as Json;
  const url = typeof v.URL === 'string' ? v.URL.trim() : '';
  if (!url) throw new BadRequestError(apiMessage('fieldEmpty', { field: `${where}.URL` }));
  const headers: Record<string, string> = {};
  for (const [k, h] of Object.entries((v.CustomHeaders ?? {}) as Json)) {
    if (!HEADER_NAME.test(k)) throw new BadRequestError(apiMessage('headerNameInvalid', { where, name: k.slice(0, 60) }));
    if (RESERVED_HEADERS.test(k)) throw new BadRequestError(apiMessage('headerReserved', { where, name: k }));
    if (typeof h !== 'string' || /[\r\n\0]/.test(h)) throw new BadRequestError(apiMessage('headerValueInvalid', { where, name: k }));
    headers[k] = h;
  }
  const level = typeof v.Level === 'string' ? v.Level : '';
  if (level !== '' && level !== 'full' && level !== 'none') {
    throw new BadRequestError(apiMessage('webhookLevelInvalid', { where, got: JSON.stringify(level).slice(0, 40) }));
  }
  const types = (v.WhiteListedEventTypes ?? []) as unknown[];
  if (!Array.isArray(types) || !types.every((t) => Number.isInteger(t) && (t as number) >= 0 && (t as number) <= 2 ** 31 - 1)) {
    throw new BadRequestError(apiMessage('webhookEventTypesInvalid', { where }));
  }
  const extra: Json = {};
  for (const [k, x] of Object.entries(v)) if (!KNOWN.has(k)) extra[k] = x;
  return { name, where, url, customHeaders: headers, level, whiteListedEventTypes: [...new Set(types as number[])], extra };
}

/** `warnings`: saved entries whose host cannot be reached now (shown to the admin in their language, never blocking). */
export type WebhookChange = { tenantId: string; hello: Json | null; prepared: Prepared[]; warnings: ApiMessage[] };

/**
 * Validates a whole WebhookOptions map for `tenantId` outside any transaction (URL checks resolve DNS).
 * Only new URLs are checked against the SSRF guard, so an unrelated entry whose host is briefly
 * unresolvable does not block saving the map.
 */
export async function prepareWebhookOptions(actor: AdminActor, tenantId: string, map: unknown, where = 'WebhookOptions'): Promise<WebhookChange> {
  const incoming = (map ?? {}) as Json;
  if (typeof incoming !== 'object' || Array.isArray(incoming)) throw new BadRequestError(apiMessage('webhooksNotMap', { where }));
  const entries = Object.entries(incoming);
  if (entries.length > MAX_WEBHOOKS) throw new BadRequestError(apiMessage('webhooksTooMany', { where, limit: String(MAX_WEBHOOKS) }));
  const prepared = entries.map(([name, value]) => prepare(name, value, `${where}[${JSON.stringify(name)}]`));
  // tenancy: derived — tenantId is the organization being edited, resolved by the caller (targetTenant or organization/set)
  const stored = new Map((await db().webhook.findMany({ where: { tenantId }, select: { name: true, url: true } })).map((r) => [r.name, r.url]));
  const allowPrivate = await allowPrivateTargets();
  const warnings: ApiMessage[] = [];
  for (const p of prepared) {
    if (stored.get(p.name) === p.url) continue;
    const { refusal, warning } = await checkWebhookUrl(p.url, allowPrivate);
    if (refusal) throw new BadRequestError(apiMessage('fieldRefused', { field: `${where}[${JSON.stringify(p.name)}].URL`, reason: refusal }));
    if (warning) warnings.push(apiMessage('fieldCause', { field: `${where}[${JSON.stringify(p.name)}].URL`, cause: warning }));
  }
  const needsHello = prepared.some((p) => stored.get(p.name) !== p.url && p.level !== 'none');
  return { tenantId, prepared, warnings, hello: needsHello ? await helloEvent(actor, tenantId) : null };
}
