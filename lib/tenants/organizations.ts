// Tenants (Comet "Organization"), top-level admins only. Secrets inside the Organization
// (SMTP password, code-signing secrets, remote storage passwords) are sealed at rest and never
// returned; an empty incoming secret keeps the stored one.
import { randomUUID } from 'node:crypto';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import { checkSmtpHost } from '../email/check-smtp-host';
import { validateEmailOptions } from '../email/validate-email-options';
import { checkBrandingValues } from '../branding/branding-rules';
import type { EmailOptions } from '../email/report-types';
import { emitEvent } from '../events/emit';
import type { Prisma } from '../generated/prisma/client';
import { keepStoredSecrets, shapeWire, splitSecrets } from '../profile/mapper';
import { sealJson, unsealJson } from '../secrets';
import { TOP_LEVEL_TENANT_ID, wireOrganizationId, type AdminActor } from '../tenancy/actor';
import { findHostClash, normaliseHost } from '../tenancy/host';
import { requireTopLevel } from '../tenancy/scope';
import { enqueueDeliveries } from '../webhooks/queue';
import { applyWebhookOptions } from '../webhooks/apply-webhook-options';
import { prepareWebhookOptions, type WebhookChange } from '../webhooks/prepare-webhook-options';
import { webhookOptionsOf } from '../webhooks/webhook-options-of';
import { webhookToWire } from '../webhooks/webhook-to-wire';
import { apiMessage } from '../i18n/api-messages';
import { applyPsaChange } from '../psa/apply-psa-change';
import { preparePsaChange, type PsaChange } from '../psa/prepare-psa-change';
import { psaConfigsOf } from '../psa/psa-configs-of';
import { checkHostField, checkTextField } from '../validation/check-field';

type TenantRow = Prisma.TenantGetPayload<object>;

/**
 * Organization JSON in Comet's exact shape (every field, Go zero values, secrets blanked, unknown fields kept).
 * WebhookOptions come from the Webhook rows (lib/webhooks), the one place webhooks are kept; PSAConfigs from the
 * PsaConfig rows (lib/psa), the list admin/meta/psa-config-list/get answers.
 */
export function organizationDto(tenant: TenantRow, webhookOptions: Record<string, unknown> = {}, psaConfigs: unknown[] = []): Record<string, unknown> {
  const data = (tenant.data ?? {}) as Record<string, unknown>;
  return shapeWire('Organization', { ...data, Hosts: tenant.hosts, Name: tenant.name, IsSuspended: tenant.isSuspended, WebhookOptions: webhookOptions, PSAConfigs: psaConfigs }) as Record<
    string,
    unknown
  >;
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(apiMessage('organizationNotFound', { id: id.slice(0, 100) }));
}

export async function listOrganizations({ actor }: { actor: AdminActor }): Promise<Record<string, Record<string, unknown>>> {
  requireTopLevel(actor);
  const tenants = await db().tenant.findMany({ where: { isTopLevel: false }, orderBy: { createdAt: 'asc' } });
  // tenancy: top-level — requireTopLevel above: organizations are managed across tenants
  const webhooks = await db().webhook.findMany({ where: { tenant: { isTopLevel: false } }, orderBy: { createdAt: 'asc' } });
  const byTenant = new Map<string, Record<string, unknown>>();
  for (const w of webhooks) byTenant.set(w.tenantId, { ...byTenant.get(w.tenantId), [w.name]: webhookToWire(w) });
  const psa = await psaConfigsOf(tenants.map((t) => t.id));
  return Object.fromEntries(tenants.map((t) => [t.id, organizationDto(t, byTenant.get(t.id), psa.get(t.id))]));
}

function normaliseHosts(value: unknown): string[] {
  const hosts = Array.isArray(value) ? value.map((h) => String(h).trim().toLowerCase()).filter(Boolean) : [];
  return [...new Set(hosts)];
}

/** AdminOrganizationSet: create (no OrganizationID) or update an organization. */
export async function setOrganization(opts: { actor: AdminActor; organizationId?: string; organization?: Record<string, unknown> }) {
  const { actor } = opts;
  requireTopLevel(actor);
  const id = opts.organizationId || undefined;
  if (id === TOP_LEVEL_TENANT_ID) throw notFound(id);
  if (!id && !opts.organization) throw new BadRequestError(apiMessage('organizationMissing'));
  // WebhookOptions are checked (URLs resolved) before the transaction, and saved as Webhook rows in it.
  const newId = id ?? randomUUID();
  let webhooks: WebhookChange | undefined;
  let psa: PsaChange | undefined;
  // An Organization's Email passes the checks email-options/set makes (a tenant is never the top level).
  const email = opts.organization?.Email;
  if (email && typeof email === 'object' && !Array.isArray(email)) validateEmailOptions(email as EmailOptions, false, 'Organization.Email');
  // Its Branding passes branding-config/set's value rules (colours, http(s) URLs, lengths, known styles), but not
  // its resource:// rule for file fields: Comet's organization/set takes disk paths there and an imported or
  // round-tripped organization carries them. They are inert (Halley reads file fields only as resource:// references
  // to the organization's own uploads: lib/branding/logo-for-build.ts, public-branding.ts, read-console-branding.ts),
  // and branding-config/set keeps such a stored value when it comes back unchanged (lib/branding/branding-rules.ts).
  const branding = opts.organization?.Branding;
  if (branding && typeof branding === 'object' && !Array.isArray(branding)) checkBrandingValues(branding as Record<string, unknown>, 'Organization.Branding');
  await checkSmtpHost(email as EmailOptions | undefined, 'Organization.Email');
  const edits = (key: string) => !!opts.organization && key in opts.organization;
  if (id && (edits('WebhookOptions') || edits('PSAConfigs')) && !(await db().tenant.findFirst({ where: { id, isTopLevel: false }, select: { id: true } }))) throw notFound(id);
  if (opts.organization && edits('WebhookOptions')) {
    webhooks = await prepareWebhookOptions(actor, newId, opts.organization.WebhookOptions, 'Organization.WebhookOptions');
  }
  // PSAConfigs are the organization's PSA list (lib/psa), the same one psa-config-list/get|set show; an
  // Organization without the field leaves the list as it is.
  if (opts.organization && edits('PSAConfigs')) psa = await preparePsaChange(newId, opts.organization.PSAConfigs, 'Organization.PSAConfigs');
  const result = await db().$transaction(async (tx) => {
    const existing = id ? await tx.tenant.findFirst({ where: { id, isTopLevel: false } }) : null;
    if (id && !existing) throw notFound(id);
    const incoming = opts.organization ?? (existing ? organizationDto(existing) : {});
    const { Name, Hosts, IsSuspended, WebhookOptions: _webhooks, PSAConfigs: _psa, ...rest } = incoming;
    const name = typeof Name === 'string' ? Name.trim() : '';
    checkTextField(name, 'Organization.Name', { max: 255, required: true });
    const hosts = normaliseHosts(Hosts);
    hosts.forEach((h, i) => checkHostField(normaliseHost(h), `Organization.Hosts[${i}]`));
    // One host, one tenant: "a.example:8060" and "A.example." are "a.example" (lib/tenancy/host.ts).
    const clash = await findHostClash(hosts, id, tx);
    if (clash) {
      const host = clash.host.slice(0, 255);
      throw new BadRequestError(
        actor.isTopLevel
          ? apiMessage('hostUsedByOrganization', { host, name: clash.tenant.name, id: wireOrganizationId(clash.tenant.id) || 'top level' })
          : apiMessage('hostUsedByAnother', { host }),
      );
    }
    const split = splitSecrets(rest);
    const stored = unsealJson<Record<string, unknown>>(existing?.secrets);
    const secrets = keepStoredSecrets(split.secrets, stored);
    const row = {
      name,
      hosts,
      isSuspended: IsSuspended === true,
      data: split.public as object,
      secrets: secrets && Object.keys(secrets).length ? sealJson(secrets) : null,
    };
    const tenant = existing
      ? await tx.tenant.update({ where: { id: existing.id }, data: row })
      : await tx.tenant.create({ data: { id: newId, ...row } });
    const refs = webhooks ? await applyWebhookOptions(tx, actor, webhooks, { emit: false }) : [];
    if (psa) await applyPsaChange(tx, psa);
    await emitEvent(tx, actor, {
      tenantId: tenant.id,
      type: existing ? SEVT.SEVT_TENANT_UPDATED : SEVT.SEVT_TENANT_NEW,
      resourceId: tenant.id,
      data: { OrganizationID: tenant.id, Name: tenant.name },
    });
    const psaConfigs = (await psaConfigsOf([tenant.id], tx)).get(tenant.id);
    return { refs, response: { Status: 200, Message: 'OK', ID: tenant.id, Organization: organizationDto(tenant, await webhookOptionsOf(tenant.id, tx), psaConfigs) } };
  });
  await enqueueDeliveries(result.refs);
  return result.response;
}

/** AdminOrganizationDelete: the tenant with its admins, users, policies and sessions. */
export async function deleteOrganization(opts: { actor: AdminActor; organizationId?: string; uninstall?: unknown }): Promise<void> {
  const { actor } = opts;
  requireTopLevel(actor);
  const id = opts.organizationId ?? '';
  if (!id) throw new BadRequestError(apiMessage('missingParam', { name: 'OrganizationID' }));
  await db().$transaction(async (tx) => {
    const tenant = await tx.tenant.findFirst({ where: { id, isTopLevel: false }, select: { id: true, name: true } });
    if (!tenant) throw notFound(id);
    // tenancy: top-level — requireTopLevel above: organizations are managed across tenants
    const users = await tx.account.count({ where: { tenantId: id } });
    await tx.tenant.delete({ where: { id } });
    await emitEvent(tx, actor, {
      tenantId: TOP_LEVEL_TENANT_ID,
      type: SEVT.SEVT_TENANT_REMOVED,
      resourceId: id,
      data: { OrganizationID: id, Name: tenant.name, RemovedUsers: users, Uninstall: opts.uninstall ?? null },
    });
  });
}

