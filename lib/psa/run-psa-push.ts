// The psa-push job: one attempt at one push (usage summary plus alerts) to one integration. The push row
// is the delivery log: attempts, last answer, error. A failed attempt is thrown to BullMQ, which retries it
// with exponential backoff (HALLEY_PSA_RETRY_BASE_MS, HALLEY_PSA_ATTEMPTS); the last one marks the push
// failed. Idempotent: a push that is no longer pending is left alone, and alerts advance only on success.
import { db } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { apiMessage } from '../i18n/api-messages';
import { failureCause } from '../i18n/failure-cause';
import { storedMessage } from '../i18n/stored-message';
import { env } from '../env';
import { log } from '../log';
import { withPrivateTargets } from '../net/private-targets';
import { unseal } from '../secrets';
import { wireOrganizationId } from '../tenancy/actor';
import { unsealCustomHeaders } from '../webhooks/custom-headers';
import { buildUsageSummary } from './build-usage-summary';
import { collectAlerts } from './collect-alerts';
import { PSA_TYPE_GENERIC, PSA_TYPE_GRADIENT, PSA_TYPE_NAMES, PSA_TYPE_SYNCRO } from './psa-config';
import { psaRequest, PsaRequestError } from './psa-request';
import { pushGeneric } from './push-generic';
import { pushGradient } from './push-gradient';
import { pushSyncro } from './push-syncro';
import type { PsaPushContext, PsaPushResult } from './push-types';

type JobMeta = { attemptsMade: number; maxAttempts: number };

const SENDERS: Record<number, (ctx: PsaPushContext) => Promise<PsaPushResult>> = {
  [PSA_TYPE_GENERIC]: pushGeneric,
  [PSA_TYPE_GRADIENT]: pushGradient,
  [PSA_TYPE_SYNCRO]: pushSyncro,
};

export async function runPsaPush(payload: { tenantId: string; pushId: string }, meta: JobMeta): Promise<unknown> {
  const e = env();
  // tenancy: system — the worker runs the push its own row names (tenant and id both from the queued job)
  const push = await db().psaPush.findFirst({
    where: { id: BigInt(payload.pushId), tenantId: payload.tenantId },
    include: { config: true, tenant: { select: { name: true } } },
  });
  if (!push || push.status !== 'pending') return { skipped: true };
  const config = push.config;
  const started = new Date();
  // tenancy: derived — the push row was reached with its own tenant id above
  await db().psaPush.update({ where: { id: push.id }, data: { attempts: { increment: 1 }, lastAttemptAt: started } });
  let requests = 0;
  try {
    const sender = SENDERS[config.type];
    if (!sender) throw new PsaRequestError(apiMessage('psaTypeUnsupported', { type: String(config.type) }), 0);
    const grouped = { Users: config.groupedUsers, Tenants: config.groupedTenants, AccountName: config.groupedAccountName };
    const summary = await buildUsageSummary(config.tenantId, grouped, started.getTime());
    const alerts = config.alertsDisabled ? null : await collectAlerts(config.tenantId, config.alertsSince, started.getTime());
    const result = await withPrivateTargets((allowPrivate) => {
      requests = 0;
      return sender({
        pushId: String(push.id),
        trigger: push.trigger,
        organizationId: wireOrganizationId(config.tenantId),
        organizationName: push.tenant.name,
        url: config.url,
        partnerKey: config.partnerKey ? unseal(config.partnerKey) : '',
        customHeaders: unsealCustomHeaders(config.customHeaders),
        summary,
        alerts,
        remoteState: (config.remoteState ?? {}) as Record<string, unknown>,
        gradientVendorKey: e.HALLEY_GRADIENT_VENDOR_KEY,
        gradientApiUrl: e.HALLEY_GRADIENT_API_URL,
        request: (req) => {
          requests++;
          return psaRequest(req, { allowPrivate, timeoutMs: e.HALLEY_PSA_TIMEOUT_MS });
        },
      });
    });
    const lastAlert = alerts?.length ? BigInt(alerts[alerts.length - 1].EndTime) : null;
    await db().$transaction(async (tx) => {
      // tenancy: derived — rows of the push reached above
      await tx.psaPush.update({
        where: { id: push.id },
        data: {
          status: 'delivered',
          responseCode: result.status,
          lastError: result.notes.map((n) => n.text).join('; ').slice(0, 2000),
          lastErrorMessage: storedMessage(result.notes.slice(0, 50)) ?? Prisma.DbNull,
          requests,
          groups: result.groups,
          alerts: result.alerts,
          finishedAt: new Date(),
        },
      });
      // tenancy: derived — the push's own integration
      await tx.psaConfig.updateMany({
        where: { id: config.id, tenantId: config.tenantId },
        data: { ...(lastAlert !== null ? { alertsSince: lastAlert } : {}), ...(result.remoteState ? { remoteState: JSON.parse(JSON.stringify(result.remoteState)) as object } : {}) },
      });
    });
    return { delivered: true, requests };
  } catch (err) {
    const last = meta.attemptsMade + 1 >= meta.maxAttempts;
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    const status = err instanceof PsaRequestError ? err.status : 0;
    // The reason in any reader's language: Halley's own causes from the catalogue, anything else quoted.
    const reason = storedMessage([err instanceof PsaRequestError ? err.translatable : failureCause(err)]);
    // tenancy: derived — the push reached above
    await db().psaPush.update({
      where: { id: push.id },
      data: { status: last ? 'failed' : 'pending', lastError: message, lastErrorMessage: reason ?? Prisma.DbNull, responseCode: status || null, requests, ...(last ? { finishedAt: new Date() } : {}) },
    });
    log.warn({ pushId: String(push.id), type: PSA_TYPE_NAMES[config.type], attempt: meta.attemptsMade + 1, err: message }, 'PSA push attempt failed');
    if (!last) throw err;
    return { failed: true };
  }
}
