// PSA_TYPE_GRADIENT: Gradient MSP's Synthesize vendor API, in the request shapes its public reference
// (api-docs.meetgradient.com) documents. Authentication: the `GRADIENT-TOKEN` header, base64 of
// "<vendor API key>:<partner API key>" (the vendor key is Halley's HALLEY_GRADIENT_VENDOR_KEY, the partner key
// the integration's PartnerKey). One push:
//   1. POST /api/vendor-api/organization/accounts  [{id, name, description}]  (the billed accounts)
//   2. GET  /api/vendor-api/vendor  -> the integration's services (skus); a missing one is created with
//      POST /api/vendor-api/service {name, description, category, subcategory}; ids are kept in remoteState
//   3. POST /api/vendor-api/billing {accountId, serviceId, unitCount}  per account and service ("set unit
//      count"; a 404 means the partner has not mapped that account/service yet: noted, not a failure)
//   4. POST /api/vendor-api/alerting {accountId, title, description, alertId, priority, status}  per alert
//      unless AlertsDisabled.
// The URL of the integration, when set, replaces Gradient's API base (HALLEY_GRADIENT_API_URL).
import { apiMessage, apiMessageWithEnglish, type ApiMessage } from '../i18n/api-messages';
import { PsaRequestError } from './psa-request';
import { alertAccount, psaAccounts, type PsaAccount } from './psa-accounts';
import type { PsaPushContext, PsaPushResult } from './push-types';

type Service = { key: keyof Omit<PsaAccount, 'id' | 'name'>; name: string; description: string; subcategory: string };

const SERVICES: Service[] = [
  { key: 'devices', name: 'Halley backup devices', description: 'Registered backup devices', subcategory: 'Devices' },
  { key: 'storageGB', name: 'Halley backup storage (GB)', description: 'Storage used by backups, in GB (10^9 bytes)', subcategory: 'Storage' },
  { key: 'boosters', name: 'Halley backup boosters', description: 'Protected item types beyond files and folders, per device', subcategory: 'Boosters' },
  { key: 'office365Accounts', name: 'Halley Microsoft 365 accounts', description: 'Protected Microsoft 365 accounts', subcategory: 'Microsoft 365' },
];

/** Service ids from a Get Vendor answer, by name: accepts {skus|services:[{id|_id, name}]} at the top or under data. */
function servicesOf(json: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const root = (json && typeof json === 'object' ? ((json as Record<string, unknown>).data ?? json) : {}) as Record<string, unknown>;
  for (const list of [root.skus, root.services]) {
    if (!Array.isArray(list)) continue;
    for (const s of list as Array<Record<string, unknown>>) {
      const id = s?.id ?? s?._id;
      if (typeof s?.name === 'string' && (typeof id === 'string' || typeof id === 'number')) out.set(s.name, String(id));
    }
  }
  return out;
}

function idOf(json: unknown): string {
  const o = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const d = (o.data && typeof o.data === 'object' ? o.data : {}) as Record<string, unknown>;
  const id = o.id ?? o._id ?? d.id ?? d._id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

export async function pushGradient(ctx: PsaPushContext): Promise<PsaPushResult> {
  if (!ctx.gradientVendorKey) {
    throw new PsaRequestError(apiMessage('psaGradientVendorKeyMissing'), 0);
  }
  const base = `${(ctx.url || ctx.gradientApiUrl).replace(/\/+$/, '')}/api/vendor-api`;
  const headers = { ...ctx.customHeaders, 'GRADIENT-TOKEN': Buffer.from(`${ctx.gradientVendorKey}:${ctx.partnerKey}`).toString('base64') };
  const accounts = psaAccounts(ctx.summary, ctx.organizationId, ctx.organizationName);
  const notes: ApiMessage[] = [];

  await ctx.request({ method: 'POST', url: `${base}/organization/accounts`, headers, body: JSON.stringify(accounts.map((a) => ({ id: a.id, name: a.name, description: `Halley ${a.id}` }))) });

  const known = { ...((ctx.remoteState.gradientServices ?? {}) as Record<string, string>) };
  if (SERVICES.some((s) => !known[s.name])) {
    const vendor = await ctx.request({ method: 'GET', url: `${base}/vendor`, headers });
    for (const [name, id] of servicesOf(vendor.json)) known[name] = id;
    for (const s of SERVICES) {
      if (known[s.name]) continue;
      const created = await ctx.request({ method: 'POST', url: `${base}/service`, headers, body: JSON.stringify({ name: s.name, description: s.description, category: 'Backup', subcategory: s.subcategory }) });
      const id = idOf(created.json);
      if (!id) throw new PsaRequestError(apiMessageWithEnglish('psaCreatedWithoutId', { psa: 'gradient', name: s.name }, `Gradient created the service "${s.name}" but its answer carried no id`), created.status);
      known[s.name] = id;
    }
  }

  let last = 200;
  for (const a of accounts) {
    for (const s of SERVICES) {
      try {
        last = (await ctx.request({ method: 'POST', url: `${base}/billing`, headers, body: JSON.stringify({ accountId: a.id, serviceId: known[s.name], unitCount: a[s.key] }) })).status;
      } catch (err) {
        // Gradient answers 404 while the partner has not mapped an account or service: normal, not a failure.
        if (err instanceof PsaRequestError && err.status === 404) notes.push(apiMessage('psaNotMappedYet', { account: a.name, service: s.name }));
        else throw err;
      }
    }
  }
  let alerts = 0;
  for (const alert of ctx.alerts ?? []) {
    const acct = alertAccount(ctx.summary, ctx.organizationId, ctx.organizationName, alert);
    try {
      await ctx.request({
        method: 'POST',
        url: `${base}/alerting`,
        headers,
        body: JSON.stringify({ accountId: acct.id, title: alert.Title, description: alert.Description, alertId: alert.AlertID, priority: 1, status: 1 }),
      });
      alerts++;
    } catch (err) {
      if (err instanceof PsaRequestError && err.status === 404) notes.push(apiMessage('psaAlertNotMappedYet', { alert: String(alert.AlertID), account: acct.name }));
      else throw err;
    }
  }
  return { status: last, groups: accounts.length, alerts, remoteState: { ...ctx.remoteState, gradientServices: known }, notes };
}
