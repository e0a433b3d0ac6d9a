// meta/webhook-options/get|set (Comet's AdminMetaWebhookOptionsGet/Set): the caller's organization's map
// of named WebhookOption {URL, CustomHeaders, Level, WhiteListedEventTypes}. A top-level admin's map is
// the server's (its webhooks receive every tenant's events); a tenant admin's is its tenant's (its own
// events only). Tenant admins need AllowEditWebhooks (checked by the registry). The same rows back
// Organization.WebhookOptions in organization/list|set.
//
// Every webhook gets its own HMAC signing secret, sealed at rest and never part of a WebhookOption;
// see lib/webhooks/webhook-secret.ts. A new webhook, or one whose URL changed, receives SEVT_META_HELLO.
// CustomHeaders values are sealed at rest and always returned masked (lib/webhooks/custom-headers.ts).
import { randomBytes } from 'node:crypto';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, type Tx } from '../db/client';
import { BadRequestError } from '../errors';
import { emitEvent } from '../events/emit';
import type { Prisma } from '../generated/prisma/client';
import { serverVersionInfo } from '../meta/version';
import { shapeWire } from '../profile/mapper';
import { seal } from '../secrets';
import { wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { maskCustomHeaders, sealCustomHeaders } from './custom-headers';
import { enqueueDeliveries, type DeliveryRef } from './queue';
import { allowPrivateTargets } from '../net/private-targets';
import { checkWebhookUrl } from './check-webhook-url';

type Json = Record<string, unknown>;
type WebhookRow = Prisma.WebhookGetPayload<object>;

const KNOWN = new Set(['URL', 'CustomHeaders', 'Level', 'WhiteListedEventTypes']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
/** Headers Halley sets itself; a CustomHeaders entry may not replace them. */
const RESERVED_HEADERS = /^(host|content-length|content-type|transfer-encoding|connection|keep-alive|upgrade|te|trailer|x-comet-tracing-id|x-halley-.*)$/i;
const MAX_WEBHOOKS = 100;

/** A new signing secret (shown to receivers through webhook-options/get-secret). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function webhookToWire(row: Pick<WebhookRow, 'url' | 'customHeaders' | 'level' | 'whiteListedEventTypes' | 'extra'>): Json {
  return shapeWire('WebhookOption', {
    URL: row.url,
    CustomHeaders: maskCustomHeaders(row.customHeaders),
    Level: row.level,
    WhiteListedEventTypes: row.whiteListedEventTypes,
    ...((row.extra ?? {}) as Json),
  }) as Json;
}

export async function webhookOptionsOf(tenantId: string, client: Pick<Tx, 'webhook'> = db()): Promise<Record<string, Json>> {
  // tenancy: derived — tenantId is the organization being edited, resolved by the caller (targetTenant or organization/set)
  const rows = await client.webhook.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } });
  return Object.fromEntries(rows.map((r) => [r.name, webhookToWire(r)]));
}

/** AdminMetaWebhookOptionsGet: the caller's organization's webhooks. */
export async function getWebhookOptions({ actor }: { actor: AdminActor }): Promise<Record<string, Json>> {
  return webhookOptionsOf(actor.tenantId);
}

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
    throw new BadRequestError(`${where}: the webhook ID must be 1-200 characters without control characters`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError(`${where} must be a WebhookOption object`);
  const v = value as Json;
  const url = typeof v.URL === 'string' ? v.URL.trim() : '';
  if (!url) throw new BadRequestError(`${where}.URL must not be empty`);
  const headers: Record<string, string> = {};
  for (const [k, h] of Object.entries((v.CustomHeaders ?? {}) as Json)) {
    if (!HEADER_NAME.test(k)) throw new BadRequestError(`${where}.CustomHeaders: '${k.slice(0, 60)}' is not a valid header name`);
    if (RESERVED_HEADERS.test(k)) throw new BadRequestError(`${where}.CustomHeaders: '${k}' is set by Halley and can't be replaced`);
    if (typeof h !== 'string' || /[\r\n\0]/.test(h)) throw new BadRequestError(`${where}.CustomHeaders['${k}'] must be a string without line breaks`);
    headers[k] = h;
  }
  const level = typeof v.Level === 'string' ? v.Level : '';
  if (level !== '' && level !== 'full' && level !== 'none') {
    throw new BadRequestError(`${where}.Level must be "full" (STREAM_LEVEL_FULL) or "none" (STREAM_LEVEL_NONE), got ${JSON.stringify(level).slice(0, 40)}`);
  }
  const types = (v.WhiteListedEventTypes ?? []) as unknown[];
  if (!Array.isArray(types) || !types.every((t) => Number.isInteger(t) && (t as number) >= 0 && (t as number) <= 2 ** 31 - 1)) {
    throw new BadRequestError(`${where}.WhiteListedEventTypes must be a list of event type numbers`);
  }
  const extra: Json = {};
  for (const [k, x] of Object.entries(v)) if (!KNOWN.has(k)) extra[k] = x;
  return { name, where, url, customHeaders: headers, level, whiteListedEventTypes: [...new Set(types as number[])], extra };
}

/** The SEVT_META_HELLO body a webhook receives when it is configured (and for a test delivery). */
export async function helloEvent(actor: AdminActor, tenantId: string): Promise<Json> {
  return {
    Actor: actor.username,
    OwnerOrganizationID: wireOrganizationId(tenantId),
    ResourceID: '',
    Type: SEVT.SEVT_META_HELLO,
    Timestamp: Math.floor(Date.now() / 1000),
    TypeString: 'SEVT_META_HELLO',
    Data: await serverVersionInfo(actor),
  };
}

export type WebhookChange = { tenantId: string; hello: Json | null; prepared: Prepared[] };

/**
 * Validates a whole WebhookOptions map for `tenantId` outside any transaction (URL checks resolve DNS).
 * Only new URLs are checked against the SSRF guard, so an unrelated entry whose host is briefly
 * unresolvable does not block saving the map.
 */
export async function prepareWebhookOptions(actor: AdminActor, tenantId: string, map: unknown, where = 'WebhookOptions'): Promise<WebhookChange> {
  const incoming = (map ?? {}) as Json;
  if (typeof incoming !== 'object' || Array.isArray(incoming)) throw new BadRequestError(`${where} must be an object keyed by webhook ID`);
  const entries = Object.entries(incoming);
  if (entries.length > MAX_WEBHOOKS) throw new BadRequestError(`${where}: at most ${MAX_WEBHOOKS} webhooks per organization`);
  const prepared = entries.map(([name, value]) => prepare(name, value, `${where}[${JSON.stringify(name)}]`));
  // tenancy: derived — tenantId is the organization being edited, resolved by the caller (targetTenant or organization/set)
  const stored = new Map((await db().webhook.findMany({ where: { tenantId }, select: { name: true, url: true } })).map((r) => [r.name, r.url]));
  const allowPrivate = await allowPrivateTargets();
  for (const p of prepared) {
    if (stored.get(p.name) === p.url) continue;
    const why = await checkWebhookUrl(p.url, allowPrivate);
    if (why) throw new BadRequestError(`${where}[${JSON.stringify(p.name)}].URL refused: ${why}`);
  }
  const needsHello = prepared.some((p) => stored.get(p.name) !== p.url && p.level !== 'none');
  return { tenantId, prepared, hello: needsHello ? await helloEvent(actor, tenantId) : null };
}

/**
 * Replaces the tenant's webhooks inside `tx` and creates the hello deliveries. Returns the deliveries
 * to queue once the transaction has committed. `emit: false` when the caller writes its own event
 * (organization/set).
 */
export async function applyWebhookOptions(tx: Tx, actor: AdminActor, change: WebhookChange, opts: { emit?: boolean } = {}): Promise<DeliveryRef[]> {
  const { tenantId, prepared } = change;
  // tenancy: derived — tenantId is the organization being edited, resolved by the caller (targetTenant or organization/set)
  const existing = new Map((await tx.webhook.findMany({ where: { tenantId } })).map((r) => [r.name, r]));
  await tx.webhook.deleteMany({ where: { tenantId, name: { notIn: prepared.map((p) => p.name) } } });
  if (opts.emit !== false) {
    await emitEvent(tx, actor, {
      tenantId,
      type: SEVT.SEVT_TENANT_UPDATED,
      resourceId: wireOrganizationId(tenantId),
      data: { WebhookOptions: prepared.map((p) => p.name) },
    });
  }
  // Events up to now (including the one above) happened before a new webhook existed.
  // tenancy: derived — tenantId is the organization being edited, resolved by the caller (targetTenant or organization/set)
  const [{ max }] = await tx.$queryRaw<Array<{ max: bigint }>>`SELECT COALESCE(MAX(id), 0)::bigint AS max FROM "Event"`;
  const refs: DeliveryRef[] = [];
  for (const p of prepared) {
    const old = existing.get(p.name);
    const customHeaders = sealCustomHeaders(p.customHeaders, old?.customHeaders, p.where);
    const fields = { url: p.url, customHeaders, level: p.level, whiteListedEventTypes: p.whiteListedEventTypes, extra: p.extra as object };
    const row = old
      // tenancy: derived — tenantId is the organization being edited, resolved by the caller (targetTenant or organization/set)
      ? await tx.webhook.update({ where: { id: old.id }, data: fields, select: { id: true } })
      : await tx.webhook.create({ data: { tenantId, name: p.name, ...fields, secret: seal(newWebhookSecret()), sinceEventId: max }, select: { id: true } });
    if (change.hello && old?.url !== p.url && p.level !== 'none') {
      const d = await tx.webhookDelivery.create({
        data: { webhookId: row.id, tenantId, eventType: SEVT.SEVT_META_HELLO, kind: 'hello', payload: change.hello as object },
        select: { id: true, attempts: true },
      });
      refs.push(d);
    }
  }
  return refs;
}

/** AdminMetaWebhookOptionsSet: replaces the caller's organization's whole map. */
export async function setWebhookOptions({ actor, options }: { actor: AdminActor; options: unknown }): Promise<void> {
  const change = await prepareWebhookOptions(actor, actor.tenantId, options);
  const refs = await db().$transaction((tx) => applyWebhookOptions(tx, actor, change));
  await enqueueDeliveries(refs);
}
