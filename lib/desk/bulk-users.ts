// Halley: one action on many users at once (the users table's bulk actions), each user on its own so one
// failure does not undo the others: the answer lists every named user with its own Status and Message.
// Profile changes (policy, suspension) go through replaceProfile — the same validation, hash lock, policy
// check and SEVT_ACCOUNT_UPDATED event as set-user-profile-hash; "send-report" renders each of the user's
// configured reports over the last day and queues the emails (the SMTP sends run in the email queue);
// "update-software" tells every live device of the user to fetch the current client. A name the admin may
// not see refuses the whole call, like a missing user.
import { db } from '../db/client';
import { AppError, BadRequestError } from '../errors';
import { apiMessage, localizeApiMessage, type ApiMessage } from '../i18n/api-messages';
import type { Locale } from '../i18n/locales';
import { collectPeriod, loadBranding } from '../email/collect-report';
import { deliverReport } from '../email/deliveries';
import { ACCOUNT_REPORT_SELECT, userReports } from '../email/report-sources';
import { isScheduledType, ReportType } from '../email/report-types';
import { log } from '../log';
import { relay } from '../live/relay';
import { sendCommand } from '../live/send-command';
import type { AdminActor } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';
import { getUserProfileAndHash } from '../users/get-user-profile';
import { userNotFound } from '../users/find-account';
import { replaceProfile } from '../users/set-user-profile';

const BULK_USER_ACTIONS = ['apply-policy', 'suspend', 'unsuspend', 'send-report', 'update-software'] as const;
type BulkUserAction = (typeof BULK_USER_ACTIONS)[number];
const MAX_BULK_USERS = 200;
const DAY = 86_400;

type BulkUserResult = { Username: string; Status: number; Message: string };

async function patchProfile(actor: AdminActor, username: string, patch: Record<string, unknown>): Promise<string | ApiMessage> {
  const current = await getUserProfileAndHash({ actor, username });
  await replaceProfile({ actor, username, profile: { ...current.profile, ...patch }, requireHash: current.hash });
  return 'OK';
}

async function sendReportNow(actor: AdminActor, username: string): Promise<ApiMessage> {
  const account = await db().account.findFirst({ where: { username, ...tenantWhere(actor) }, select: ACCOUNT_REPORT_SELECT });
  if (!account) throw userNotFound(username);
  const specs = userReports(account);
  if (specs.length === 0) throw new BadRequestError(apiMessage('userNoEmailReports'));
  const end = Math.floor(Date.now() / 1000);
  const branding = await loadBranding(account.tenantId);
  let queued = 0;
  for (const spec of specs) {
    // An immediate report has no period of its own: sent now, it summarises the last day's jobs.
    const reportType = isScheduledType(spec.config.ReportType ?? ReportType.IMMEDIATE) ? (spec.config.ReportType as number) : ReportType.SUMMARY;
    const period = { start: end - Math.max(DAY, Number(spec.config.TimeSpan?.Seconds ?? 0) || DAY), end };
    const content = await collectPeriod({ scope: spec.scope, filter: spec.config.Filter, reportType, period, now: end });
    queued += (await deliverReport({ spec, occurrence: `manual:${end}`, content, branding, reportType })).length;
  }
  return apiMessage('bulkEmailsQueued', { count: String(queued) });
}

async function updateSoftware(actor: AdminActor, username: string, selfAddress: string): Promise<ApiMessage> {
  const account = await db().account.findFirst({ where: { username, ...tenantWhere(actor) }, select: { id: true } });
  if (!account) throw userNotFound(username);
  const live = (await relay().listConnections()).filter((c) => c.accountId === account.id);
  if (live.length === 0) throw new BadRequestError(apiMessage('userNoDeviceOnline'));
  const outcomes = await Promise.allSettled(live.map((c) => sendCommand(c, { type: 'update-software', selfAddress })));
  const failed = outcomes.filter((o) => o.status === 'rejected').length;
  if (failed === live.length) throw new AppError(503, apiMessage('onlineDevicesRejectedUpdate', { count: String(live.length) }));
  return apiMessage('bulkDevicesToldToUpdate', { told: String(live.length - failed), count: String(live.length) });
}

/** `locale`: the language of each user's error Message (the caller's). */
export async function bulkUsers({ actor, action, usernames, policyId, selfAddress, locale = 'en' }: { actor: AdminActor; action: string; usernames: unknown; policyId?: string; selfAddress: string; locale?: Locale }): Promise<{ Results: BulkUserResult[] }> {
  if (!BULK_USER_ACTIONS.includes(action as BulkUserAction)) throw new BadRequestError(apiMessage('actionOneOf', { values: BULK_USER_ACTIONS.join(', ') }));
  if (!Array.isArray(usernames) || usernames.some((u) => typeof u !== 'string' || u === '' || u.length > 255)) throw new BadRequestError(apiMessage('usernamesNotList'));
  const names = [...new Set(usernames as string[])];
  if (names.length === 0 || names.length > MAX_BULK_USERS) throw new BadRequestError(apiMessage('usernamesCountRange', { max: String(MAX_BULK_USERS) }));
  if (action === 'apply-policy' && policyId === undefined) throw new BadRequestError(apiMessage('applyPolicyNeedsPolicyId'));
  // Every named user must be one the admin may see, or nothing is done (a foreign user looks missing).
  const visible = new Set((await db().account.findMany({ where: { username: { in: names }, ...tenantWhere(actor) }, select: { username: true } })).map((a) => a.username));
  const unknown = names.find((n) => !visible.has(n));
  if (unknown !== undefined) throw userNotFound(unknown);
  const run = (username: string): Promise<string | ApiMessage> => {
    switch (action as BulkUserAction) {
      case 'apply-policy':
        return patchProfile(actor, username, { PolicyID: policyId ?? '' });
      case 'suspend':
        return patchProfile(actor, username, { IsSuspended: true });
      case 'unsuspend':
        return patchProfile(actor, username, { IsSuspended: false });
      case 'send-report':
        return sendReportNow(actor, username);
      case 'update-software':
        return updateSoftware(actor, username, selfAddress);
    }
  };
  const Results: BulkUserResult[] = [];
  // One user after the other: each is its own transaction, and the database is not flooded.
  for (const username of names) {
    try {
      const done = await run(username);
      Results.push({ Username: username, Status: 200, Message: typeof done === 'string' ? done : localizeApiMessage(done, locale) });
    } catch (err) {
      if (!(err instanceof AppError)) log.error({ err, username, action }, 'bulk user action failed');
      const message = err instanceof AppError ? (err.translatable ? localizeApiMessage(err.translatable as ApiMessage, locale) : err.message) : localizeApiMessage(apiMessage('bulkInternalError'), locale);
      Results.push({ Username: username, Status: err instanceof AppError ? err.status : 500, Message: message });
    }
  }
  return { Results };
}
