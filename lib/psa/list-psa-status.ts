// Halley extension admin/meta/psa-config-list/status: per integration of the caller's organization (in the
// order of psa-config-list/get) what the console shows next to it: whether a PartnerKey is stored, the
// names of its CustomHeaders, and its latest pushes (the delivery log). No secret is part of it.
import { db } from '../db/client';
import type { Locale } from '../i18n/locales';
import { renderStoredMessage } from '../i18n/stored-message';
import type { AdminActor } from '../tenancy/actor';
import { ownTenantWhere } from '../tenancy/scope';
import { PSA_TYPE_NAMES } from './psa-config';

const PUSHES_PER_INTEGRATION = 10;

type TPsaPush = {
  PushID: string;
  Trigger: string;
  Status: string;
  Attempts: number;
  ResponseCode: number;
  LastError: string;
  Requests: number;
  Groups: number;
  Alerts: number;
  CreatedAt: number;
  LastAttemptAt: number;
  FinishedAt: number;
};

type TPsaIntegrationStatus = { Index: number; Type: number; TypeName: string; URL: string; HasPartnerKey: boolean; HeaderNames: string[]; Pushes: TPsaPush[] };

const unix = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : 0);

export async function listPsaStatus({ actor, locale = 'en' }: { actor: AdminActor; locale?: Locale }): Promise<{ Integrations: TPsaIntegrationStatus[] }> {
  const where = ownTenantWhere(actor);
  const configs = await db().psaConfig.findMany({
    where,
    orderBy: { position: 'asc' },
    select: { id: true, position: true, type: true, url: true, partnerKey: true, customHeaders: true, pushes: { orderBy: { id: 'desc' }, take: PUSHES_PER_INTEGRATION } },
  });
  return {
    Integrations: configs.map((c) => ({
      Index: c.position,
      Type: c.type,
      TypeName: PSA_TYPE_NAMES[c.type] ?? String(c.type),
      URL: c.url,
      HasPartnerKey: c.partnerKey !== '',
      HeaderNames: c.customHeaders && typeof c.customHeaders === 'object' ? Object.keys(c.customHeaders) : [],
      Pushes: c.pushes.map((p) => ({
        PushID: String(p.id),
        Trigger: p.trigger,
        Status: p.status,
        Attempts: p.attempts,
        ResponseCode: p.responseCode ?? 0,
        // In the reader's language; pushes from before the catalogue messages show their English text.
        LastError: renderStoredMessage(p.lastErrorMessage, p.lastError, locale),
        Requests: p.requests,
        Groups: p.groups,
        Alerts: p.alerts,
        CreatedAt: unix(p.createdAt),
        LastAttemptAt: unix(p.lastAttemptAt),
        FinishedAt: unix(p.finishedAt),
      })),
    })),
  };
}
