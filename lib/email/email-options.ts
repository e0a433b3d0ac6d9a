// Outgoing email settings (Comet EmailOptions) per organization. They live in the tenant row, as
// Organization.Email (the server's own options in the top-level tenant row), with SMTPPassword sealed in
// the tenant's `secrets` like every other Organization secret: never returned, and an empty password on
// save keeps the stored one. A tenant's Mode "" inherits the server's SMTP server; a tenant admin (with
// AllowEditEmailOptions) may change its From fields and admin reports, but only a top-level admin may
// change a tenant's SMTP server (here with TargetOrganization, or through organization/set).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, type Tx } from '../db/client';
import { BadRequestError, ForbiddenError } from '../errors';
import { emitEvent } from '../events/emit';
import { compileSearchClause, SqlParams } from '../job-search/compile-search-clause';
import { keepStoredSecrets, shapeWire, splitSecrets, type JsonObject } from '../profile/mapper';
import { outboundHostRefusal } from '../net/private-targets';
import { sealJson, unsealJson } from '../secrets';
import { TOP_LEVEL_TENANT_ID, type AdminActor } from '../tenancy/actor';
import { resolveTargetTenant } from '../tenancy/scope';
import { DeliveryMode, normaliseFilter, REPORT_TYPES, type EmailOptions, type EmailReportingOption } from './report-types';
import { isValidTimeZone, scheduleToRepeat } from './schedule';

/** Fields that describe the SMTP server (what only a top-level admin may change for a tenant). */
const SMTP_FIELDS = ['Mode', 'SMTPHost', 'SMTPPort', 'SMTPUsername', 'SMTPAllowInvalidCertificate', 'SMTPAllowUnencrypted', 'SMTPCustomEhlo'] as const;
const MODES: readonly string[] = [DeliveryMode.INHERIT, DeliveryMode.SMTP, DeliveryMode.SMTP_SSL, DeliveryMode.DISABLED];
const EMAIL_RE = /^[^\s@<>()",;]+@[^\s@<>()",;]+$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= 320 && EMAIL_RE.test(value);
}

type StoredTenant = { id: string; data: unknown; secrets: string | null };

/** EmailOptions of a tenant row, with the sealed SMTPPassword put back (for sending only). */
export function storedEmailOptions(tenant: StoredTenant, withSecret: boolean): EmailOptions {
  const data = (tenant.data ?? {}) as JsonObject;
  const email = { ...((data.Email ?? {}) as EmailOptions) };
  if (withSecret) {
    const secrets = unsealJson<{ Email?: { SMTPPassword?: string } }>(tenant.secrets);
    email.SMTPPassword = secrets?.Email?.SMTPPassword ?? '';
  } else if (email.SMTPPassword !== undefined) {
    email.SMTPPassword = '';
  }
  return email;
}

async function targetTenantId(actor: AdminActor, targetOrganization: string | undefined): Promise<string> {
  return (await resolveTargetTenant(actor, targetOrganization)) ?? actor.tenantId;
}

/** AdminMetaEmailOptionsGet: the caller's organization's options (top level: the server's), secrets blanked. */
export async function getEmailOptions(opts: { actor: AdminActor; targetOrganization?: string }): Promise<JsonObject> {
  const tenantId = await targetTenantId(opts.actor, opts.targetOrganization);
  const tenant = await db().tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { id: true, data: true, secrets: true } });
  return shapeWire('EmailOptions', storedEmailOptions(tenant, false)) as JsonObject;
}

/** Checks one admin report (EmailReportingOption): type, recipients, time zone, schedules, filter. */
export function validateReportingOption(option: EmailReportingOption, where: string): void {
  const config = option.EmailReportConfig ?? {};
  const type = config.ReportType ?? 0;
  if (!REPORT_TYPES.includes(type)) throw new BadRequestError(`${where}.EmailReportConfig.ReportType ${type} is not an EMAILREPORTTYPE_* value`);
  for (const r of option.Recipients ?? []) {
    if (!isEmailAddress(r)) throw new BadRequestError(`${where}.Recipients: '${String(r).slice(0, 80)}' is not an email address`);
  }
  if (!isValidTimeZone(option.LocalTimezone ?? '')) throw new BadRequestError(`${where}.LocalTimezone '${String(option.LocalTimezone).slice(0, 60)}' is not a time zone`);
  validateReportConfig(config, option.LocalTimezone ?? '', where);
}

export function validateReportConfig(config: EmailReportingOption['EmailReportConfig'] & object, timeZone: string, where: string): void {
  const type = config.ReportType ?? 0;
  if (!REPORT_TYPES.includes(type)) throw new BadRequestError(`${where}.ReportType ${type} is not an EMAILREPORTTYPE_* value`);
  if (type !== 0) {
    for (const [i, s] of (config.SummaryFrequency ?? []).entries()) {
      if (!scheduleToRepeat(s, timeZone)) {
        throw new BadRequestError(`${where}.SummaryFrequency[${i}]: FrequencyType ${s.FrequencyType} can't schedule a report (use hourly, daily, weekly, monthly, yearly or periodic)`);
      }
    }
  }
  try {
    compileSearchClause(normaliseFilter(config.Filter), new SqlParams(), { now: 0 });
  } catch (err) {
    if (err instanceof BadRequestError) throw new BadRequestError(`${where}.Filter: ${err.message}`);
    throw err;
  }
}

function validateOptions(options: EmailOptions, isTopLevelTenant: boolean): void {
  const mode = options.Mode ?? '';
  if (mode === DeliveryMode.BUILTIN) throw new BadRequestError("EmailOptions.Mode 'builtin' (direct MX delivery) is not supported by Halley: use 'smtp' or 'smtp-ssl'");
  if (!MODES.includes(mode)) throw new BadRequestError(`EmailOptions.Mode '${String(mode).slice(0, 40)}' is not an EmailDeliveryType`);
  if (mode === DeliveryMode.INHERIT && isTopLevelTenant && options.SMTPHost) {
    throw new BadRequestError("EmailOptions.Mode '' (inherit) has nothing to inherit at the top level: use 'smtp' or 'smtp-ssl'");
  }
  if ((mode === DeliveryMode.SMTP || mode === DeliveryMode.SMTP_SSL) && !(options.SMTPHost ?? '').trim()) {
    throw new BadRequestError('EmailOptions.SMTPHost is required with an SMTP Mode');
  }
  const port = options.SMTPPort ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BadRequestError('EmailOptions.SMTPPort must be 0 to 65535');
  if (options.FromEmail && !isEmailAddress(options.FromEmail)) throw new BadRequestError(`EmailOptions.FromEmail '${options.FromEmail.slice(0, 80)}' is not an email address`);
  if (/[\r\n]/.test(options.FromName ?? '')) throw new BadRequestError('EmailOptions.FromName must be one line');
  for (const [i, r] of (options.EmailReportingOptions ?? []).entries()) validateReportingOption(r, `EmailOptions.EmailReportingOptions[${i}]`);
}

/** Config-time outbound guard: an SMTP host the guard refuses is a 400 (unless private targets are allowed). */
export async function checkSmtpHost(options: EmailOptions | undefined, where = 'EmailOptions'): Promise<void> {
  const mode = options?.Mode ?? '';
  const host = (options?.SMTPHost ?? '').trim();
  if (!host || (mode !== DeliveryMode.SMTP && mode !== DeliveryMode.SMTP_SSL)) return;
  const why = await outboundHostRefusal(host, 'SMTP server');
  if (why) throw new BadRequestError(`${where}.SMTPHost refused: ${why}`);
}

function sameSmtpServer(incoming: EmailOptions, stored: EmailOptions): boolean {
  const norm = (v: unknown) => (v === undefined || v === null ? '' : v === false || v === 0 ? '' : v);
  return SMTP_FIELDS.every((f) => norm(incoming[f]) === norm(stored[f])) && !incoming.SMTPPassword;
}

/** Writes Organization.Email of a tenant row (sealing SMTPPassword, keeping the stored one when empty). */
export async function writeEmailOptions(tx: Tx, tenant: StoredTenant, options: EmailOptions): Promise<void> {
  const split = splitSecrets({ Email: options });
  const stored = unsealJson<Record<string, unknown>>(tenant.secrets) ?? {};
  const { Email: storedEmailSecrets, ...otherSecrets } = stored;
  const emailSecrets = keepStoredSecrets(split.secrets, storedEmailSecrets ? { Email: storedEmailSecrets } : null);
  const secrets = { ...otherSecrets, ...(emailSecrets ?? {}) };
  const data = { ...((tenant.data ?? {}) as JsonObject), Email: split.public.Email };
  await tx.tenant.update({
    where: { id: tenant.id },
    data: { data: JSON.parse(JSON.stringify(data)) as object, secrets: Object.keys(secrets).length ? sealJson(secrets) : null },
  });
}

/** AdminMetaEmailOptionsSet. Returns the tenant whose options changed (for the report schedulers). */
export async function setEmailOptions(opts: { actor: AdminActor; options: EmailOptions; targetOrganization?: string }): Promise<string> {
  const { actor } = opts;
  const tenantId = await targetTenantId(actor, opts.targetOrganization);
  const options = { ...opts.options };
  validateOptions(options, tenantId === TOP_LEVEL_TENANT_ID);
  await checkSmtpHost(options);
  await db().$transaction(async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { id: true, data: true, secrets: true } });
    const stored = storedEmailOptions(tenant, false);
    if (!actor.isTopLevel && !sameSmtpServer(options, stored)) {
      throw new ForbiddenError("Only a top-level administrator may change an organization's SMTP server (Mode and SMTP* fields)");
    }
    await writeEmailOptions(tx, tenant, options);
    clearDeliveryCache();
    await emitEvent(tx, actor, {
      tenantId,
      type: SEVT.SEVT_TENANT_UPDATED,
      resourceId: tenantId === TOP_LEVEL_TENANT_ID ? '' : tenantId,
      data: { EmailOptions: { FromEmail: options.FromEmail ?? '', FromName: options.FromName ?? '', Mode: options.Mode ?? '', Reports: (options.EmailReportingOptions ?? []).length } },
    });
  });
  return tenantId;
}

/** What a send uses: the tenant's From fields over the server's, the tenant's SMTP server unless it inherits. */
export type DeliverySettings = {
  mode: 'smtp' | 'smtp-ssl' | 'disabled';
  host: string;
  port: number;
  username: string;
  password: string;
  allowInvalidCertificate: boolean;
  allowUnencrypted: boolean;
  customEhlo: string;
  fromEmail: string;
  fromName: string;
};

export function deliveryFrom(own: EmailOptions, server: EmailOptions | null): DeliverySettings {
  const smtp = (own.Mode ?? '') === DeliveryMode.INHERIT && server ? server : own;
  const mode = smtp.Mode === DeliveryMode.SMTP || smtp.Mode === DeliveryMode.SMTP_SSL ? smtp.Mode : 'disabled';
  return {
    mode,
    host: smtp.SMTPHost ?? '',
    port: smtp.SMTPPort || (mode === 'smtp-ssl' ? 465 : 25),
    username: smtp.SMTPUsername ?? '',
    password: smtp.SMTPPassword ?? '',
    allowInvalidCertificate: smtp.SMTPAllowInvalidCertificate === true,
    allowUnencrypted: smtp.SMTPAllowUnencrypted === true,
    customEhlo: smtp.SMTPCustomEhlo ?? '',
    fromEmail: own.FromEmail || server?.FromEmail || '',
    fromName: own.FromName || server?.FromName || '',
  };
}

// Report runs resolve the same tenant's settings for every message; a short cache saves the query. A save
// in this process clears it; other processes see a change within CACHE_MS (as server settings do).
const CACHE_MS = 2000;
const deliveryCache = new Map<string, { value: Promise<DeliverySettings>; until: number }>();

export function clearDeliveryCache(): void {
  deliveryCache.clear();
}

/** The settings a tenant's reports are sent with (cached for CACHE_MS). */
export function resolveDelivery(tenantId: string): Promise<DeliverySettings> {
  const hit = deliveryCache.get(tenantId);
  if (hit && hit.until > Date.now()) return hit.value;
  const value = readDelivery(tenantId);
  deliveryCache.set(tenantId, { value, until: Date.now() + CACHE_MS });
  value.catch(() => deliveryCache.delete(tenantId));
  return value;
}

/** The settings a tenant's reports are sent with (reads the tenant and the server rows in one query). */
async function readDelivery(tenantId: string): Promise<DeliverySettings> {
  const rows = await db().tenant.findMany({ where: { id: { in: [tenantId, TOP_LEVEL_TENANT_ID] } }, select: { id: true, data: true, secrets: true } });
  const own = rows.find((r) => r.id === tenantId);
  const server = rows.find((r) => r.id === TOP_LEVEL_TENANT_ID);
  const serverOptions = server ? storedEmailOptions(server, true) : null;
  if (!own || tenantId === TOP_LEVEL_TENANT_ID) return deliveryFrom(serverOptions ?? {}, null);
  return deliveryFrom(storedEmailOptions(own, true), serverOptions);
}
