// Outgoing email settings (Comet EmailOptions) per organization. They live in the tenant row, as
// Organization.Email (the server's own options in the top-level tenant row), with SMTPPassword sealed in
// the tenant's `secrets` like every other Organization secret: never returned, and an empty password on
// save keeps the stored one. A tenant's Mode "" inherits the server's SMTP server; a tenant admin (with
// AllowEditEmailOptions) may change its From fields and admin reports, but only a top-level admin may
// change a tenant's SMTP server (here with TargetOrganization, or through organization/set).
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, type Tx } from '../db/client';
import { ForbiddenError } from '../errors';
import { emitEvent } from '../events/emit';
import { TOP_LEVEL_TENANT_ID, type AdminActor } from '../tenancy/actor';
import { checkSmtpHost } from './check-smtp-host';
import type { EmailOptions } from './report-types';
import { clearDeliveryCache } from './resolve-delivery';
import { reconcileEmailSchedules } from './run-reports';
import { log } from '../log';
import { storedEmailOptions } from './stored-email-options';
import { targetTenant } from '../tenancy/scope';
import { validateEmailOptions } from './validate-email-options';
import { writeEmailOptions } from './write-email-options';
import { apiMessage } from '../i18n/api-messages';

/** Fields that describe the SMTP server (what only a top-level admin may change for a tenant). */
const SMTP_FIELDS = ['Mode', 'SMTPHost', 'SMTPPort', 'SMTPUsername', 'SMTPAllowInvalidCertificate', 'SMTPAllowUnencrypted', 'SMTPCustomEhlo'] as const;

function sameSmtpServer(incoming: EmailOptions, stored: EmailOptions): boolean {
  const norm = (v: unknown) => (v === undefined || v === null ? '' : v === false || v === 0 ? '' : v);
  return SMTP_FIELDS.every((f) => norm(incoming[f]) === norm(stored[f])) && !incoming.SMTPPassword;
}

/** AdminMetaEmailOptionsSet. Returns the tenant whose options changed (for the report schedulers). */
export async function setEmailOptions(opts: { actor: AdminActor; options: EmailOptions; targetOrganization?: string }): Promise<string> {
  const prepared = await prepareEmailOptions(opts);
  await db().$transaction((tx) => writeEmailOptionsOf(tx, opts.actor, prepared));
  await afterEmailOptionsChanged(prepared.tenantId);
  return prepared.tenantId;
}

/** After a committed change: deliveries read the new settings, and scheduled admin reports follow now (else the workers' periodic run). */
export async function afterEmailOptionsChanged(tenantId: string): Promise<void> {
  clearDeliveryCache();
  await reconcileEmailSchedules({ tenantId }).catch((err) => log.warn({ err, tenantId }, 'could not update email report schedulers now'));
}

type PreparedEmailOptions = { tenantId: string; options: EmailOptions };

/** Checks the options (the SMTP host through the outbound guard) without writing. */
export async function prepareEmailOptions(opts: { actor: AdminActor; options: EmailOptions; targetOrganization?: string }): Promise<PreparedEmailOptions> {
  const tenantId = await targetTenant(opts.actor, opts.targetOrganization);
  const options = { ...opts.options };
  validateEmailOptions(options, tenantId === TOP_LEVEL_TENANT_ID);
  await checkSmtpHost(options);
  return { tenantId, options };
}

/** Writes in `tx`; a tenant admin's change of the SMTP server refuses (and rolls `tx` back). Clear the delivery cache after commit. */
export async function writeEmailOptionsOf(tx: Tx, actor: AdminActor, { tenantId, options }: PreparedEmailOptions): Promise<void> {
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { id: true, data: true, secrets: true } });
  const stored = storedEmailOptions(tenant, false);
  if (!actor.isTopLevel && !sameSmtpServer(options, stored)) {
    throw new ForbiddenError(apiMessage('smtpChangeTopLevelOnly'));
  }
  await writeEmailOptions(tx, tenant, options);
  await emitEvent(tx, actor, {
    tenantId,
    type: SEVT.SEVT_TENANT_UPDATED,
    resourceId: tenantId === TOP_LEVEL_TENANT_ID ? '' : tenantId,
    data: { EmailOptions: { FromEmail: options.FromEmail ?? '', FromName: options.FromName ?? '', Mode: options.Mode ?? '', Reports: (options.EmailReportingOptions ?? []).length } },
  });
}
