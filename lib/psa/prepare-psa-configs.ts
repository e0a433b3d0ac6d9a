// Validation of an incoming PSAConfigList (admin/meta/psa-config-list/set), before anything is written.
// URLs go through the outbound guard when saved (and again at every push); a host that does not resolve
// yet is accepted with a warning, as webhook URLs are.
import { BadRequestError } from '../errors';
import { apiMessage, type ApiMessage } from '../i18n/api-messages';
import { allowPrivateTargets } from '../net/private-targets';
import { isHostName } from '../validation/email-address';
import { checkWebhookUrl } from '../webhooks/check-webhook-url';
import { MAX_PSA_CONFIGS, PSA_TYPE_GENERIC, PSA_TYPE_GRADIENT, PSA_TYPE_NAMES, PSA_TYPE_SYNCRO } from './psa-config';
import { hasHttpScheme } from '../validation/url-parts';

type Json = Record<string, unknown>;

const KNOWN = new Set(['AlertsDisabled', 'CustomHeaders', 'PartnerKey', 'Type', 'URL', 'GroupedBy']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
/** Headers Halley sets itself on PSA requests; CustomHeaders may not replace them. */
const RESERVED_HEADERS = /^(host|content-length|content-type|transfer-encoding|connection|keep-alive|upgrade|te|trailer|gradient-token|x-halley-.*)$/i;
const MAX_KEY_LENGTH = 4096;
const MAX_URL_LENGTH = 2048;

export type PreparedPsaConfig = {
  where: string;
  type: number;
  url: string;
  alertsDisabled: boolean;
  groupedUsers: boolean;
  groupedTenants: boolean;
  groupedAccountName: boolean;
  /** "" = keep the stored key (a blank PartnerKey is what get answers). */
  partnerKey: string;
  customHeaders: Record<string, string>;
  extra: Json;
};

function bool(v: unknown, where: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new BadRequestError(apiMessage('fieldNotTrueFalse', { field: where }));
  return v;
}

function prepareOne(value: unknown, where: string): PreparedPsaConfig {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError(apiMessage('psaConfigNotObject', { where }));
  const v = value as Json;
  const type = v.Type === undefined ? PSA_TYPE_GENERIC : v.Type;
  if (typeof type !== 'number' || !(type in PSA_TYPE_NAMES)) {
    throw new BadRequestError(apiMessage('psaTypeInvalid', { where, got: JSON.stringify(v.Type).slice(0, 40) }));
  }
  if (v.URL !== undefined && typeof v.URL !== 'string') throw new BadRequestError(apiMessage('fieldWrongType', { field: `${where}.URL`, kind: 'string' }));
  const url = String(v.URL ?? '').trim();
  if (url.length > MAX_URL_LENGTH) throw new BadRequestError(apiMessage('fieldTooLong', { field: `${where}.URL`, limit: String(MAX_URL_LENGTH) }));
  if (type === PSA_TYPE_GENERIC && !url) throw new BadRequestError(apiMessage('psaGenericUrlEmpty', { where }));
  if (type === PSA_TYPE_SYNCRO && !url) throw new BadRequestError(apiMessage('psaSyncroUrlEmpty', { where }));
  if (v.PartnerKey !== undefined && v.PartnerKey !== null && typeof v.PartnerKey !== 'string') throw new BadRequestError(apiMessage('fieldWrongType', { field: `${where}.PartnerKey`, kind: 'string' }));
  const partnerKey = String(v.PartnerKey ?? '');
  if (partnerKey.length > MAX_KEY_LENGTH || /[\r\n\0]/.test(partnerKey)) throw new BadRequestError(apiMessage('psaPartnerKeyInvalid', { where, limit: String(MAX_KEY_LENGTH) }));
  const headersIn = v.CustomHeaders ?? {};
  if (typeof headersIn !== 'object' || Array.isArray(headersIn)) throw new BadRequestError(apiMessage('customHeadersNotObject', { where }));
  const customHeaders: Record<string, string> = {};
  for (const [k, h] of Object.entries(headersIn as Json)) {
    if (!HEADER_NAME.test(k)) throw new BadRequestError(apiMessage('headerNameInvalid', { where, name: k.slice(0, 60) }));
    if (RESERVED_HEADERS.test(k)) throw new BadRequestError(apiMessage('headerReserved', { where, name: k }));
    if (typeof h !== 'string' || /[\r\n\0]/.test(h)) throw new BadRequestError(apiMessage('headerValueInvalid', { where, name: k }));
    customHeaders[k] = h;
  }
  const grouped = v.GroupedBy ?? {};
  if (typeof grouped !== 'object' || Array.isArray(grouped)) throw new BadRequestError(apiMessage('psaGroupedByNotObject', { where }));
  const g = grouped as Json;
  const extra: Json = {};
  for (const [k, x] of Object.entries(v)) if (!KNOWN.has(k)) extra[k] = x;
  return {
    where,
    type,
    url,
    alertsDisabled: bool(v.AlertsDisabled, `${where}.AlertsDisabled`),
    groupedUsers: bool(g.Users, `${where}.GroupedBy.Users`),
    groupedTenants: bool(g.Tenants, `${where}.GroupedBy.Tenants`),
    groupedAccountName: bool(g.AccountName, `${where}.GroupedBy.AccountName`),
    partnerKey,
    customHeaders,
    extra,
  };
}

/** A Syncro URL as the admin may give it: a bare subdomain or an http(s) address. */
export function syncroBaseUrl(url: string): string {
  if (hasHttpScheme(url)) return url.replace(/\/+$/, '');
  return `https://${url.toLowerCase()}.syncromsp.com`;
}

async function checkUrl(p: PreparedPsaConfig, allowPrivate: boolean, warnings: ApiMessage[]): Promise<void> {
  let target = p.url;
  if (p.type === PSA_TYPE_GRADIENT && !target) return; // Gradient's own API base
  if (p.type === PSA_TYPE_SYNCRO && !hasHttpScheme(target)) {
    if (!isHostName(target) || target.includes('.')) throw new BadRequestError(apiMessage('psaSyncroTargetInvalid', { where: p.where, target: target.slice(0, 80) }));
    target = syncroBaseUrl(target);
  }
  const { refusal, warning } = await checkWebhookUrl(target, allowPrivate, 'PSA target');
  if (refusal) throw new BadRequestError(apiMessage('fieldRefused', { field: `${p.where}.URL`, reason: refusal }));
  if (warning) warnings.push(apiMessage('fieldCause', { field: `${p.where}.URL`, cause: warning }));
}

/** The validated list and warnings (hosts that do not resolve yet). `unchangedUrls`: URLs already stored (not re-checked). */
export async function preparePsaConfigs(list: unknown, unchangedUrls: ReadonlySet<string>, field = 'PSAConfigList'): Promise<{ prepared: PreparedPsaConfig[]; warnings: ApiMessage[] }> {
  const items = list === null || list === undefined ? [] : list;
  if (!Array.isArray(items)) throw new BadRequestError(apiMessage('psaConfigListNotArray'));
  if (items.length > MAX_PSA_CONFIGS) throw new BadRequestError(apiMessage('psaConfigsTooMany', { limit: String(MAX_PSA_CONFIGS) }));
  const prepared = items.map((item, i) => prepareOne(item, `${field}[${i}]`));
  const allowPrivate = await allowPrivateTargets();
  const warnings: ApiMessage[] = [];
  for (const p of prepared) if (!unchangedUrls.has(`${p.type} ${p.url}`)) await checkUrl(p, allowPrivate, warnings);
  return { prepared, warnings };
}
