// PSA_TYPE_GENERIC: one signed JSON POST of the usage summary (and alerts) to the integration's URL, with its
// CustomHeaders. When a PartnerKey is set the body is signed like Halley's webhooks:
// X-Halley-Signature: sha256=HMAC-SHA256(PartnerKey, `${X-Halley-Timestamp}.${body}`).
import { createHmac } from 'node:crypto';
import { HALLEY_VERSION } from '../meta/version';
import type { PsaPushContext, PsaPushResult } from './push-types';

function genericBody(ctx: PsaPushContext, generatedAt: number): string {
  return JSON.stringify({
    Source: 'Halley',
    Version: HALLEY_VERSION,
    PushID: ctx.pushId,
    Trigger: ctx.trigger,
    OrganizationID: ctx.organizationId,
    GeneratedAt: generatedAt,
    ...ctx.summary,
    ...(ctx.alerts ? { Alerts: ctx.alerts } : {}),
  });
}

export async function pushGeneric(ctx: PsaPushContext): Promise<PsaPushResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  const body = genericBody(ctx, timestamp);
  const headers: Record<string, string> = { ...ctx.customHeaders, 'X-Halley-Push-Id': ctx.pushId, 'X-Halley-Timestamp': String(timestamp) };
  if (ctx.partnerKey) headers['X-Halley-Signature'] = `sha256=${createHmac('sha256', ctx.partnerKey).update(`${timestamp}.${body}`).digest('hex')}`;
  const res = await ctx.request({ method: 'POST', url: ctx.url, headers, body });
  const s = ctx.summary;
  const groups = (s.ByTenant?.length ?? 0) + (s.ByUser?.length ?? 0) + (s.ByAccountName?.length ?? 0) || 1;
  return { status: res.status, groups, alerts: ctx.alerts?.length ?? 0, notes: [] };
}
