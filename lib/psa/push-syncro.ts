// PSA_TYPE_SYNCRO: Syncro's REST API (https://<subdomain>.syncromsp.com/api/v1, API token from Syncro's
// Admin > API Tokens, sent as `Authorization: Bearer <token>`), in the shapes of its public reference. Syncro
// has no usage-ingestion call, so a push keeps Syncro's customers in step with the billed accounts (one
// customer per group of GroupedBy, found by name or created: GET /customers?query=, POST /customers
// {business_name}) and turns each alert (a failed backup job) into a ticket on its customer:
// POST /tickets {customer_id, subject, problem_type, status, comments_attributes:[{subject, body, hidden, do_not_email}]}.
// Customer ids are kept in the integration's remoteState.
import { syncroBaseUrl } from './prepare-psa-configs';
import { apiMessageWithEnglish } from '../i18n/api-messages';
import { PsaRequestError } from './psa-request';
import { alertAccount, psaAccounts } from './psa-accounts';
import type { PsaPushContext, PsaPushResult } from './push-types';

function customersOf(json: unknown): Array<{ id: string; name: string }> {
  const list = (json && typeof json === 'object' ? (json as Record<string, unknown>).customers : null) as Array<Record<string, unknown>> | null;
  return Array.isArray(list)
    ? list.flatMap((c) => (c && (typeof c.id === 'number' || typeof c.id === 'string') ? [{ id: String(c.id), name: String(c.business_name ?? c.business_and_full_name ?? '') }] : []))
    : [];
}

export async function pushSyncro(ctx: PsaPushContext): Promise<PsaPushResult> {
  const base = `${syncroBaseUrl(ctx.url)}/api/v1`;
  const headers = { ...ctx.customHeaders, Authorization: `Bearer ${ctx.partnerKey}` };
  const known = { ...((ctx.remoteState.syncroCustomers ?? {}) as Record<string, string>) };
  let last = 200;

  const customerFor = async (id: string, name: string): Promise<string> => {
    if (known[id]) return known[id];
    const found = await ctx.request({ method: 'GET', url: `${base}/customers?query=${encodeURIComponent(name)}`, headers });
    last = found.status;
    let customer = customersOf(found.json).find((c) => c.name === name)?.id;
    if (!customer) {
      const created = await ctx.request({ method: 'POST', url: `${base}/customers`, headers, body: JSON.stringify({ business_name: name, notes: `Backup account ${id} (Halley)` }) });
      last = created.status;
      const c = (created.json && typeof created.json === 'object' ? ((created.json as Record<string, unknown>).customer ?? created.json) : {}) as Record<string, unknown>;
      if (typeof c.id !== 'number' && typeof c.id !== 'string') throw new PsaRequestError(apiMessageWithEnglish('psaCreatedWithoutId', { psa: 'syncro', name }, `Syncro created the customer "${name}" but its answer carried no id`), created.status);
      customer = String(c.id);
    }
    known[id] = customer;
    return customer;
  };

  const accounts = psaAccounts(ctx.summary, ctx.organizationId, ctx.organizationName);
  for (const a of accounts) await customerFor(a.id, a.name);
  let alerts = 0;
  for (const alert of ctx.alerts ?? []) {
    const acct = alertAccount(ctx.summary, ctx.organizationId, ctx.organizationName, alert);
    const customerId = await customerFor(acct.id, acct.name);
    const res = await ctx.request({
      method: 'POST',
      url: `${base}/tickets`,
      headers,
      body: JSON.stringify({
        customer_id: Number(customerId),
        subject: alert.Title,
        problem_type: 'Other',
        status: 'New',
        comments_attributes: [{ subject: 'Backup alert', body: alert.Description, hidden: false, do_not_email: true }],
      }),
    });
    last = res.status;
    alerts++;
  }
  return { status: last, groups: accounts.length, alerts, remoteState: { ...ctx.remoteState, syncroCustomers: known }, notes: [] };
}
