// Background job registry: each job type is { name, zod payload schema, handler }. Payloads carry
// ids, never secrets; handlers are idempotent so a retried or duplicated job is harmless.
import { z } from 'zod';
import { reportExpiredSessions } from '../lib/auth/session-expiry';
import { db } from '../lib/db/client';
import { env } from '../lib/env';
import { log } from '../lib/log';
import { deliverWebhooks } from '../lib/webhooks/deliver';
import { DELIVER_JOB, WEBHOOK_QUEUE } from '../lib/webhooks/queue';
import { purgeWebhookHistory } from '../lib/webhooks/retention';
import { purgeEmailLog } from '../lib/email/retention';
import { sendDelivery } from '../lib/email/deliveries';
import { EMAIL_CONCURRENCY, EMAIL_QUEUE, EmailJob } from '../lib/email/queue';
import { followJobCompletedOutbox, reconcileEmailSchedules, runImmediateReports, runScheduledReport } from '../lib/email/run-reports';
import { measureBucket, measureStaleBuckets } from '../lib/storage/measure-bucket';
import { MEASURE_BUCKET_JOB, STORAGE_QUEUE } from '../lib/storage/storage-queue';
import { CAMPAIGN_CONCURRENCY, CAMPAIGN_QUEUE, CampaignJob, MAX_NOTICE_DEVICES } from '../lib/campaigns/campaign-queue';
import { driveCampaign, tickCampaigns } from '../lib/campaigns/drive-campaign';
import { handleDevicesConnected } from '../lib/campaigns/handle-devices-connected';
import { runScheduledConstellations } from '../lib/constellation/run-scheduled-constellations';
import { HALLEY_VERSION } from '../lib/meta/version';
import { SELF_BACKUP_CONTROL_QUEUE, SELF_BACKUP_QUEUE, SelfBackupJob } from '../lib/self-backup/queue';
import { runOrganizationImport } from '../lib/self-backup/run-organization-import';
import { runSelfBackup } from '../lib/self-backup/run-self-backup';
import { reconcileSelfBackupSchedules, runScheduledSelfBackup } from '../lib/self-backup/schedules';
import { pruneServerLogs as pruneServerLogFiles } from '../lib/server-logs/log-retention';
import { USAGE_QUEUE, UsageJob } from '../lib/usage/queue';
import { runBackfill } from '../lib/usage/run-backfill';
import { runDailySnapshots } from '../lib/usage/run-daily-snapshots';
import { REFRESH_EVERY_MS, refreshUsageAfterJobs } from '../lib/usage/refresh-after-jobs';
import { dropExpiredUsagePartitions } from '../lib/usage/drop-expired-partitions';
import { BULLETIN_JOB } from '../lib/news/bulletin-queue';
import { sendBulletin } from '../lib/news/send-bulletin';
import { NEWS_PUSH_JOB, NEWS_QUEUE } from '../lib/news/news-queue';
import { pushNews } from '../lib/news/push-news';
import { PSA_QUEUE, PsaJob } from '../lib/psa/psa-queue';
import { runPsaPush } from '../lib/psa/run-psa-push';
import { schedulePsaPushes } from '../lib/psa/schedule-psa-pushes';

/** What a handler may know about the BullMQ job running it. */
type JobMeta = {
  id?: string;
  /** Attempts already made before this one (0 on the first run). */
  attemptsMade: number;
  maxAttempts: number;
  /** For jobs created by a job scheduler: the time (ms) this occurrence was due. */
  scheduledAt?: number;
  /** Puts the job back to wait `ms` (same id, no attempt counted) and ends this run of it; never returns. */
  postpone: (ms: number) => Promise<never>;
  /** Moves the job back to the queue now when it was postponed (a no-op error when it is not delayed any more). */
  promote: () => Promise<void>;
};

type JobDefinition<S extends z.ZodType> = {
  name: string;
  queue: string;
  schema: S;
  // A method signature on purpose: its parameter is checked bivariantly, so a JobDefinition<ZFoo> is a
  // JobDefinition<z.ZodType> in the registry without a cast. Sound in use: workers/index.ts parses the payload
  // with the job's own schema before it calls the handler.
  handler(payload: z.infer<S>, meta: JobMeta): Promise<unknown>;
  /** Recurring jobs: a stable scheduler id and interval; upserted at worker start. */
  every?: { schedulerId: string; ms: number };
};

function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

const MAINTENANCE_QUEUE = 'halley-maintenance';

/** Worker concurrency per queue (default 4): email sends mostly wait on SMTP servers. */
const QUEUE_CONCURRENCY: Readonly<Record<string, number>> = { [EMAIL_QUEUE]: EMAIL_CONCURRENCY, [CAMPAIGN_QUEUE]: CAMPAIGN_CONCURRENCY };

/** Removes sessions that expired or were revoked more than a day ago. */
const purgeSessions = defineJob({
  name: 'purge-sessions',
  queue: MAINTENANCE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'maintenance:purge-sessions', ms: 15 * 60 * 1000 },
  handler: async () => {
    const cutoff = new Date(Date.now() - 24 * 3600 * 1000);
    // tenancy: system — server-wide clean-up of expired and revoked sessions (no actor)
    const { count } = await db().session.deleteMany({ where: { OR: [{ expiresAt: { lt: cutoff } }, { revokedAt: { lt: cutoff } }] } });
    if (count) log.info({ count }, 'purged old sessions');
    return { purged: count };
  },
});

const expireSessions = defineJob({
  name: 'expire-sessions',
  queue: MAINTENANCE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'maintenance:expire-sessions', ms: 60 * 1000 },
  handler: async () => ({ reported: await reportExpiredSessions() }),
});

/** One attempt of one webhook delivery or of a batch of them (lib/webhooks/deliver.ts); the rows decide. */
const deliverWebhookJob = defineJob({
  name: DELIVER_JOB,
  queue: WEBHOOK_QUEUE,
  schema: z.object({
    deliveries: z.array(z.object({ id: z.string().regex(/^\d{1,19}$/), attempt: z.number().int().min(0) })).min(1).max(500),
    webhookId: z.string().min(1).max(200).optional(),
  }),
  handler: (payload, meta) => deliverWebhooks(payload.deliveries, { postpone: meta.postpone, promote: meta.promote, webhookId: payload.webhookId }),
});

/** Deletes finished webhook delivery rows and outbox events past their retention (lib/webhooks/retention.ts). */
const purgeWebhookHistoryJob = defineJob({
  name: 'purge-webhook-history',
  queue: MAINTENANCE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'maintenance:purge-webhook-history', ms: 3600 * 1000 },
  handler: async () => {
    const purged = await purgeWebhookHistory();
    if (purged.deliveries || purged.events) log.info(purged, 'purged old webhook deliveries and events');
    return purged;
  },
});

// Email reports (lib/email/): see the README section "Email reports".
/** Deletes finished report emails past their retention (lib/email/retention.ts). */
const purgeEmailLogJob = defineJob({
  name: 'purge-email-log',
  queue: MAINTENANCE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'maintenance:purge-email-log', ms: 3600 * 1000 },
  handler: async () => {
    const purged = await purgeEmailLog();
    if (purged) log.info({ purged }, 'purged old report emails');
    return { purged };
  },
});

const emailJobCompleted = defineJob({
  name: EmailJob.JOB_COMPLETED,
  queue: EMAIL_QUEUE,
  schema: z.object({ jobId: z.string().min(1), tenantId: z.string().optional() }),
  handler: (payload) => runImmediateReports(payload),
});

const emailSend = defineJob({
  name: EmailJob.SEND,
  queue: EMAIL_QUEUE,
  schema: z.object({ deliveryId: z.string().min(1), tenantId: z.string() }),
  handler: (payload, meta) => sendDelivery(payload, meta),
});

const emailScheduledReport = defineJob({
  name: EmailJob.SCHEDULED_REPORT,
  queue: EMAIL_QUEUE,
  schema: z.object({ tenantId: z.string(), reportKey: z.string(), scheduleIndex: z.number().int().min(0), digest: z.string() }),
  handler: (payload, meta) => runScheduledReport(payload, meta),
});

const emailReconcile = defineJob({
  name: EmailJob.RECONCILE,
  queue: EMAIL_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'email-reconcile', ms: 60 * 1000 },
  handler: () => reconcileEmailSchedules(),
});

const emailFollowOutbox = defineJob({
  name: EmailJob.FOLLOW_OUTBOX,
  queue: EMAIL_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'email-follow-outbox', ms: 2 * 1000 },
  handler: () => followJobCompletedOutbox(),
});

/** Storage Role (issue 14): one bucket's size, and the hourly sweep that asks for stale ones. */
const storageMeasureBucket = defineJob({
  name: MEASURE_BUCKET_JOB,
  queue: STORAGE_QUEUE,
  schema: z.object({ tenantId: z.string(), bucketId: z.string() }),
  handler: (payload) => measureBucket(payload),
});
const storageMeasureStale = defineJob({
  name: 'storage-measure-stale',
  queue: STORAGE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'storage-measure-stale', ms: 60 * 60 * 1000 },
  handler: () => measureStaleBuckets(),
});

// Update campaigns (lib/campaigns/, issue 15): see the README section "Bulk upgrade campaigns".
const campaignDrive = defineJob({
  name: CampaignJob.DRIVE,
  queue: CAMPAIGN_QUEUE,
  schema: z.object({ campaignId: z.string().uuid(), starting: z.boolean().optional() }),
  handler: (payload) => driveCampaign(payload.campaignId, { starting: payload.starting }),
});

const connectedDevice = z.object({
  tenantId: z.string().min(1),
  accountId: z.string().min(1),
  deviceId: z.string().min(1),
  username: z.string(),
  version: z.string(),
  connectedAt: z.number().int(),
});
const campaignDevicesConnected = defineJob({
  name: CampaignJob.DEVICE_CONNECTED,
  queue: CAMPAIGN_QUEUE,
  schema: z.union([
    z.object({ campaignId: z.string().uuid(), devices: z.array(connectedDevice).min(1).max(MAX_NOTICE_DEVICES) }),
    // A notice queued by a web node from before the notices carried several devices (one device each).
    connectedDevice.extend({ campaignId: z.string().uuid() }).transform(({ campaignId, ...device }) => ({ campaignId, devices: [device] })),
  ]),
  handler: (payload) => handleDevicesConnected(payload),
});

const campaignTick = defineJob({
  name: CampaignJob.TICK,
  queue: CAMPAIGN_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'campaign-tick', ms: env().HALLEY_CAMPAIGN_TICK_MS },
  handler: () => tickCampaigns(),
});

// Self-backup (lib/self-backup/): one run at a time per workers process; a run row is the job's state.
const selfBackupRun = defineJob({
  name: SelfBackupJob.RUN,
  queue: SELF_BACKUP_QUEUE,
  schema: z.object({ runId: z.string().uuid() }),
  handler: (payload) => runSelfBackup({ runId: payload.runId, halleyVersion: HALLEY_VERSION }),
});

const selfBackupScheduled = defineJob({
  name: SelfBackupJob.SCHEDULED,
  queue: SELF_BACKUP_QUEUE,
  schema: z.object({ targetIndex: z.number().int().min(0), digest: z.string() }),
  handler: (payload, meta) => runScheduledSelfBackup(payload, meta, HALLEY_VERSION),
});

const selfBackupReconcile = defineJob({
  name: SelfBackupJob.RECONCILE,
  queue: SELF_BACKUP_CONTROL_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'self-backup-reconcile', ms: 60 * 1000 },
  handler: () => reconcileSelfBackupSchedules(),
});

// Organization import (issue 17): one OrganizationImport row, on the self-backup queue (bound by the database).
const organizationImport = defineJob({
  name: SelfBackupJob.IMPORT,
  queue: SELF_BACKUP_QUEUE,
  schema: z.object({ importId: z.string().uuid() }),
  handler: (payload) => runOrganizationImport({ importId: payload.importId, halleyVersion: HALLEY_VERSION }),
});

/** Deletes daily server log files past HALLEY_LOG_RETENTION_DAYS (lib/server-logs). */
const pruneServerLogs = defineJob({
  name: 'prune-server-logs',
  queue: MAINTENANCE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'maintenance:prune-server-logs', ms: 3600 * 1000 },
  handler: async () => ({ removed: await pruneServerLogFiles() }),
});

// Usage ledger (lib/usage/, issue 18): hourly snapshots of today (and yesterday's final one), back-fills on request.
const usageDaily = defineJob({
  name: UsageJob.DAILY,
  queue: USAGE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'usage:daily-snapshots', ms: 3600 * 1000 },
  handler: () => runDailySnapshots(),
});

const usageBackfill = defineJob({
  name: UsageJob.BACKFILL,
  queue: USAGE_QUEUE,
  schema: z.object({ tenantId: z.string().min(1), from: z.number().int().min(0), to: z.number().int().min(0), force: z.boolean() }),
  handler: (payload) => runBackfill(payload),
});

const usageRefresh = defineJob({
  name: UsageJob.REFRESH,
  queue: USAGE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'usage:refresh-after-jobs', ms: REFRESH_EVERY_MS },
  handler: () => refreshUsageAfterJobs(),
});

const usageRetention = defineJob({
  name: UsageJob.RETENTION,
  queue: USAGE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'usage:partition-retention', ms: 6 * 3600 * 1000 },
  handler: () => dropExpiredUsagePartitions({ months: env().HALLEY_USAGE_RETENTION_MONTHS }),
});

/** Constellation (issue 16): every enabled organization's report and sweep, hourly by default. */
const constellationSweep = defineJob({
  name: 'constellation-sweep',
  queue: MAINTENANCE_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'constellation-sweep', ms: env().HALLEY_CONSTELLATION_INTERVAL_MS },
  handler: () => runScheduledConstellations(),
});

/** Email bulletins (issue 19): one delivery per user address, sent by the email send jobs. */
const bulletinFanOut = defineJob({
  name: BULLETIN_JOB,
  queue: EMAIL_QUEUE,
  schema: z.object({ tenantId: z.string().min(1), bulletinId: z.string().min(1) }),
  handler: (payload) => sendBulletin(payload),
});

/** News (lib/news, issue 18): a new or removed item pushed to the organization's connected devices. */
const newsPush = defineJob({
  name: NEWS_PUSH_JOB,
  queue: NEWS_QUEUE,
  schema: z.object({ tenantId: z.string().min(1), newsId: z.string().min(1).optional(), removedId: z.string().min(1).optional() }),
  handler: (payload) => pushNews(payload),
});

/** PSA integrations (lib/psa, issue 18): one job per push (BullMQ retries it), and the hourly check for the daily push. */
const psaPush = defineJob({
  name: PsaJob.PUSH,
  queue: PSA_QUEUE,
  schema: z.object({ tenantId: z.string().min(1), pushId: z.string().regex(/^[0-9]+$/) }),
  handler: (payload, meta) => runPsaPush(payload, meta),
});

const psaDaily = defineJob({
  name: PsaJob.DAILY,
  queue: PSA_QUEUE,
  schema: z.object({}).passthrough(),
  every: { schedulerId: 'psa-daily', ms: 3600 * 1000 },
  handler: () => schedulePsaPushes(),
});

export const jobDefinitions: ReadonlyArray<JobDefinition<z.ZodType>> = [
  purgeSessions,
  expireSessions,
  deliverWebhookJob,
  purgeWebhookHistoryJob,
  purgeEmailLogJob,
  emailJobCompleted,
  emailSend,
  emailScheduledReport,
  emailReconcile,
  emailFollowOutbox,
  storageMeasureBucket,
  storageMeasureStale,
  campaignDrive,
  campaignDevicesConnected,
  campaignTick,
  selfBackupRun,
  selfBackupScheduled,
  selfBackupReconcile,
  organizationImport,
  pruneServerLogs,
  usageDaily,
  usageBackfill,
  usageRefresh,
  usageRetention,
  constellationSweep,
  bulletinFanOut,
  newsPush,
  psaPush,
  psaDaily,
];

/** Worker settings per queue (default: concurrency 4, BullMQ's lock and stall settings). */
export function workerSettings(queue: string): { concurrency: number; lockDuration?: number; stalledInterval?: number; maxStalledCount?: number } {
  if (queue === WEBHOOK_QUEUE) {
    const lock = env().HALLEY_WEBHOOK_LOCK_MS;
    // A job whose worker died is handed on after about one lock period; it is idempotent, so it may
    // stall many times without being failed.
    return { concurrency: env().HALLEY_WEBHOOK_CONCURRENCY, lockDuration: lock, stalledInterval: lock, maxStalledCount: 1000 };
  }
  if (queue === SELF_BACKUP_QUEUE) {
    // A killed worker's run is handed on once it stops heart-beating (lib/self-backup/run-self-backup.ts).
    const stale = env().HALLEY_SELF_BACKUP_STALE_SECONDS * 1000;
    return { concurrency: 1, lockDuration: stale, stalledInterval: stale, maxStalledCount: 3 };
  }
  return { concurrency: QUEUE_CONCURRENCY[queue] ?? 4 };
}
