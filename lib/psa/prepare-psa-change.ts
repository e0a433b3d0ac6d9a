// Validates a new PSA list for one organization and pairs it with the stored rows, before anything is written:
// the one path of admin/meta/psa-config-list/set, organization/set (Organization.PSAConfigs) and
// server-config/set (ServerConfigOptions.PSAConfigs). Secrets round-trip the way get shows them: a blank
// PartnerKey keeps the stored key of the matching entry, a masked (or blank) CustomHeaders value keeps its stored
// value. The matching entry is the stored one with the same Type and URL, else the one at the same position with
// the same Type. Gradient and Syncro need a key (sent now or stored).
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { seal } from '../secrets';
import { HEADER_MASK, sealCustomHeaders } from '../webhooks/custom-headers';
import { PSA_TYPE_GENERIC, PSA_TYPE_NAMES, type PsaConfigRow } from './psa-config';
import { preparePsaConfigs, type PreparedPsaConfig } from './prepare-psa-configs';

type StoredRow = { id: string; position: number; type: number; url: string; partnerKey: string; customHeaders: unknown };

/** The columns of a PsaConfig row that a change writes (psa-config.ts names them once). */
type PsaRowData = Omit<PsaConfigRow, 'id' | 'tenantId' | 'customHeaders' | 'extra'> & { customHeaders: object; extra: object };

/** What applyPsaChange writes: the organization's whole new list, each entry with the stored row it edits. */
export type PsaChange = { tenantId: string; rows: Array<{ id?: string; data: PsaRowData }>; warnings: ApiMessage[] };

function storedHeaderNames(stored: unknown): Set<string> {
  return new Set(stored && typeof stored === 'object' && !Array.isArray(stored) ? Object.keys(stored).map((k) => k.toLowerCase()) : []);
}

/** Pairs each incoming entry with the stored row it edits (or none: a new integration). */
function match(prepared: PreparedPsaConfig[], stored: StoredRow[]): Array<StoredRow | undefined> {
  const used = new Set<string>();
  const out: Array<StoredRow | undefined> = prepared.map((p) => {
    const same = stored.find((s) => !used.has(s.id) && s.type === p.type && s.url === p.url);
    if (same) used.add(same.id);
    return same;
  });
  prepared.forEach((p, i) => {
    if (out[i]) return;
    const at = stored.find((s) => !used.has(s.id) && s.position === i && s.type === p.type);
    if (at) {
      used.add(at.id);
      out[i] = at;
    }
  });
  return out;
}

/** `field` names the list in messages ("PSAConfigList", "Organization.PSAConfigs", ...). */
export async function preparePsaChange(tenantId: string, list: unknown, field = 'PSAConfigList'): Promise<PsaChange> {
  // tenancy: derived — tenantId is the caller's own organization or one it manages, resolved by the caller
  const stored = await db().psaConfig.findMany({ where: { tenantId }, select: { id: true, position: true, type: true, url: true, partnerKey: true, customHeaders: true } });
  const { prepared, warnings } = await preparePsaConfigs(list, new Set(stored.map((s) => `${s.type} ${s.url}`)), field);
  const matched = match(prepared, stored);
  const rows = prepared.map((p, i) => {
    const before = matched[i];
    const partnerKey = p.partnerKey ? seal(p.partnerKey) : (before?.partnerKey ?? '');
    if (!partnerKey && p.type !== PSA_TYPE_GENERIC) {
      throw new BadRequestError(apiMessage('psaPartnerKeyEmpty', { where: p.where, type: PSA_TYPE_NAMES[p.type] }));
    }
    // A blank value of a header that is stored is what a client sends back after get: keep it.
    const known = storedHeaderNames(before?.customHeaders);
    const incoming = Object.fromEntries(Object.entries(p.customHeaders).map(([k, v]) => [k, v === '' && known.has(k.toLowerCase()) ? HEADER_MASK : v]));
    const customHeaders = sealCustomHeaders(incoming, before?.customHeaders ?? {}, p.where);
    return {
      id: before?.id,
      data: {
        position: i,
        type: p.type,
        url: p.url,
        alertsDisabled: p.alertsDisabled,
        groupedUsers: p.groupedUsers,
        groupedTenants: p.groupedTenants,
        groupedAccountName: p.groupedAccountName,
        partnerKey,
        customHeaders,
        extra: JSON.parse(JSON.stringify(p.extra)) as object,
      },
    };
  });
  return { tenantId, rows, warnings };
}
