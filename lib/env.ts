// Typed environment, validated once at boot. Nothing else in the code base reads process.env
// for configuration: import `env` from here so a bad setting fails fast with a readable message.
import { z } from 'zod';

const zBool = z
  .enum(['1', '0', 'true', 'false'])
  .default('false')
  .transform((v) => v === '1' || v === 'true');

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8060),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  HALLEY_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (32 bytes); `npm start` creates one in data/secret.key'),
  HALLEY_SESSION_TIMEOUT_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(1800),
  HALLEY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  HALLEY_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Behind a reverse proxy: take the client address from the last X-Forwarded-For entry (the one the proxy added). */
  HALLEY_TRUST_X_FORWARDED_FOR: z
    .enum(['1', '0', 'true', 'false'])
    .default('false')
    .transform((v) => v === '1' || v === 'true'),
  /** Deprecated alias of HALLEY_ALLOW_PRIVATE_TARGETS (it now covers every outbound connection). */
  HALLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS: zBool,
  /** How long a delivery is retried before it is marked failed. */
  HALLEY_WEBHOOK_RETRY_WINDOW_SECONDS: z.coerce.number().int().min(1).max(30 * 24 * 3600).default(24 * 3600),
  /** First retry delay; doubles per attempt (with full jitter) up to HALLEY_WEBHOOK_BACKOFF_MAX_MS. */
  HALLEY_WEBHOOK_BACKOFF_BASE_MS: z.coerce.number().int().min(10).default(10_000),
  HALLEY_WEBHOOK_BACKOFF_MAX_MS: z.coerce.number().int().min(10).default(3600_000),
  /** Time limit of one delivery attempt (connect + answer). */
  HALLEY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Delivery jobs run at once per workers process; a job is one delivery or a batch of new ones. */
  HALLEY_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(8),
  /** Deliveries of one webhook per job: one load and one record statement per batch. */
  HALLEY_WEBHOOK_BATCH: z.coerce.number().int().min(1).max(500).default(100),
  /** POSTs of one job in flight at once (so at most CONCURRENCY x POSTS_PER_JOB per workers process). */
  HALLEY_WEBHOOK_POSTS_PER_JOB: z.coerce.number().int().min(1).max(500).default(8),
  /** Delivery jobs of ONE webhook at once per workers process; unset: adaptive (lib/webhooks/webhook-slots.ts). */
  HALLEY_WEBHOOK_PER_TARGET_JOBS: z.coerce.number().int().min(1).max(1000).optional(),
  /** How often the dispatcher reads the Event outbox. */
  HALLEY_WEBHOOK_DISPATCH_MS: z.coerce.number().int().min(10).default(200),
  /** A pending delivery this much past its due time is queued again (its job was lost with Redis or a crash). */
  HALLEY_WEBHOOK_RESCUE_AFTER_MS: z.coerce.number().int().min(100).default(60_000),
  /** BullMQ lock of a delivery job: a worker killed mid-delivery hands the job on after about this long. */
  HALLEY_WEBHOOK_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Finished delivery log rows are kept this many days. */
  HALLEY_WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Event outbox rows are kept this many days (and always until the webhook dispatcher has read them). */
  HALLEY_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Finished report emails (sent, failed, not sent) are kept in the email log this many days. */
  HALLEY_EMAIL_LOG_RETENTION_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
  /** Websocket ping interval of device connections; a silent device is dropped within two intervals. */
  HALLEY_LIVE_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(20),
  // Outbound connections (lib/net/outbound-guard.ts).
  /** Webhooks, SMTP and LDAP (every outbound connection) may reach loopback, private, link-local and reserved addresses. */
  HALLEY_ALLOW_PRIVATE_TARGETS: zBool,
  /** Bound on one outgoing email (connect, greeting, AUTH, message): slower is reported as an error. */
  HALLEY_SMTP_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  // Storage Role (issue 14): buckets served by this node's object API (lib/storage, lib/adapters/storage).
  /** Where bucket objects are stored (one folder per bucket); unset: <HALLEY_DATA_DIR>/storage (lib/storage/bucket-paths.ts). */
  HALLEY_STORAGE_DIR: z.string().min(1).optional(),
  /** Largest single object the object API accepts (agents upload chunks of a few MiB). */
  HALLEY_STORAGE_MAX_OBJECT_BYTES: z.coerce.number().int().min(1024).default(256 * 1024 * 1024),
  /** Bound on provisioning calls to storage endpoints, template URLs and other Storage Role servers. */
  HALLEY_STORAGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  // Constellation (issue 16; lib/constellation): the deletion guards of the bucket clean-up sweeps.
  /** Consecutive complete reports that must find a bucket unused before it may be quarantined. */
  HALLEY_CONSTELLATION_UNUSED_REPORTS: z.coerce.number().int().min(1).max(1000).default(3),
  /** Those reports must span at least this many hours (fractions allowed). */
  HALLEY_CONSTELLATION_UNUSED_HOURS: z.coerce.number().min(0).max(24 * 365).default(24),
  /** A bucket created less than this many hours ago is never quarantined. */
  HALLEY_CONSTELLATION_GRACE_HOURS: z.coerce.number().min(0).max(24 * 365).default(24),
  /** A quarantined bucket keeps its data (restorable) this long before it is destroyed. */
  HALLEY_CONSTELLATION_QUARANTINE_HOURS: z.coerce.number().min(0).max(24 * 365).default(72),
  /** Interval of the Constellation runs (report + sweep) of every organization whose role is enabled. */
  HALLEY_CONSTELLATION_INTERVAL_MS: z.coerce.number().int().min(1000).max(7 * 24 * 3600_000).default(3600_000),
  /** Largest answer (MiB) read from another server listed in a Constellation (its list-users-full, list-buckets). */
  HALLEY_CONSTELLATION_REMOTE_MAX_MB: z.coerce.number().int().min(1).max(4096).default(256),
  // Operations: health, metrics, roles, draining (issue 21; lib/health, lib/metrics, server.ts).
  /** Bearer token that opens GET /metrics to any address (`Authorization: Bearer <token>`); at least 16 characters. */
  HALLEY_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Addresses and CIDR ranges (comma-separated, e.g. "10.0.0.0/8,192.0.2.7") allowed to read /metrics without the token. */
  HALLEY_METRICS_ALLOW: z.string().default(''),
  /** Loopback clients may read /metrics without the token (the default); set 0 when a local proxy forwards /metrics. */
  HALLEY_METRICS_ALLOW_LOOPBACK: z.enum(['1', '0', 'true', 'false']).default('true').transform((v) => v === '1' || v === 'true'),
  /** Port of the workers process's own /metrics, /healthz and /readyz (0: none); bound to HOST like the web port. */
  HALLEY_WORKERS_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(8061),
  /** On SIGTERM a web node answers /readyz with 503 this long before it stops accepting, so load balancers move away first. */
  HALLEY_DRAIN_DELAY_SECONDS: z.coerce.number().min(0).max(300).default(0),
  /** Then in-flight requests get this long to finish before the process exits anyway. */
  HALLEY_DRAIN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(15),
  /** Redis Sentinel: "host:port,host:port" of the sentinels; REDIS_URL then gives only password, db and TLS (rediss://). */
  HALLEY_REDIS_SENTINELS: z.string().regex(/^\s*[^\s,:]+:\d+\s*(,\s*[^\s,:]+:\d+\s*)*$/, 'must be host:port[,host:port...]').optional(),
  /** The master name the sentinels monitor. */
  HALLEY_REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster'),
  /** Password of the sentinels themselves (when they require one; the master's is in REDIS_URL). */
  HALLEY_REDIS_SENTINEL_PASSWORD: z.string().optional(),
  // Observability: OpenTelemetry traces (issue 21; lib/observability). Off unless an endpoint is set.
  /** OTLP/HTTP collector base URL (traces go to <url>/v1/traces); through the outbound guard (private targets switch). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** The full traces URL instead (wins over OTEL_EXPORTER_OTLP_ENDPOINT). */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** service.name of the exported spans. */
  OTEL_SERVICE_NAME: z.string().min(1).default('halley'),
  /** How long finished spans are batched before an export (ms). */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(10).max(60_000).default(5000),
  // Update campaigns (lib/campaigns/, issue 15).
  /** How often the workers re-check the current campaign (send to devices that became free, finish waves). */
  HALLEY_CAMPAIGN_TICK_MS: z.coerce.number().int().min(200).max(3600_000).default(5000),
  /** A rollout wave counts as finished after this long even if some of its devices never came back. */
  HALLEY_CAMPAIGN_WAVE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(30 * 24 * 3600).default(1800),
  /** update-software commands a campaign has in flight at once per workers process. */
  HALLEY_CAMPAIGN_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(5000).default(1000),
  // Server operations: self-backup, server logs, update news (issue 17; lib/self-backup, lib/server-logs).
  /** The data directory (`npm start` passes it): secret.key, logs/ and what self-backup archives beside the database. */
  HALLEY_DATA_DIR: z.string().min(1).default('data'),
  /** Daily server log files under <data dir>/logs are kept this many days (0: no log files). */
  HALLEY_LOG_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /**
   * A self-backup whose worker stops heart-beating for this long counts as interrupted: its job is handed to
   * another worker (BullMQ lock) and its temporary file is removed. Heartbeats come every third of it.
   */
  HALLEY_SELF_BACKUP_STALE_SECONDS: z.coerce.number().int().min(3).max(3600).default(120),
  /** Halley's release feed for admin/meta/software-update-news (JSON); empty: no feed, the answer says so. */
  HALLEY_UPDATE_FEED_URL: z.string().default(''),
  /** How long the update feed's answer is reused (seconds); a failed read is retried after at most a minute. */
  HALLEY_UPDATE_FEED_CACHE_SECONDS: z.coerce.number().int().min(0).max(7 * 24 * 3600).default(3600),
  /** Set by `npm start` for web and workers: its supervisor's pid, signalled by restart-service / shutdown-service. */
  HALLEY_SUPERVISOR_PID: z.coerce.number().int().min(0).default(0),
  /** Set by `npm start`: the file a restart-service / shutdown-service request is written to before the signal. */
  HALLEY_SUPERVISOR_CONTROL: z.string().default(''),
  // Usage ledger (lib/usage, issue 18).
  /** Monthly ledger partitions (accounts, devices, vaults per day) whose whole month is older than this many months are dropped; 0 keeps every month. */
  HALLEY_USAGE_RETENTION_MONTHS: z.coerce.number().int().min(0).max(1200).default(36),
  // PSA integrations (lib/psa, issue 18): pushes retried with exponential backoff from the base delay.
  HALLEY_PSA_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  HALLEY_PSA_RETRY_BASE_MS: z.coerce.number().int().min(10).default(60_000),
  HALLEY_PSA_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** The scheduled daily push happens at the first check after this UTC hour. */
  HALLEY_PSA_DAILY_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(1),
  /** Gradient MSP Synthesize: Halley's vendor API key (the partner's key is each integration's PartnerKey). */
  HALLEY_GRADIENT_VENDOR_KEY: z.string().default(''),
  HALLEY_GRADIENT_API_URL: z.string().default('https://app.usegradient.com'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type TEnv = z.infer<typeof ZEnv>;

function loadEnv(): TEnv {
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid Halley configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

let cached: TEnv | undefined;

/** The validated environment (parsed on first use, so `next build` does not need a database). */
export function env(): TEnv {
  cached ??= loadEnv();
  return cached;
}

// Settings read before (or without) the validation above. They are here so that process.env is read in
// this file only (eslint.config.mjs).

/** The logger's level: the logger must work before and while the environment is validated. */
export function rawLogLevel(): string {
  return process.env.LOG_LEVEL ?? 'info';
}

/**
 * Where the logger writes daily server log files (<HALLEY_DATA_DIR>/logs), read before validation like the
 * level. Only when HALLEY_DATA_DIR is set (npm start sets it) and HALLEY_LOG_RETENTION_DAYS is not 0.
 */
export function rawLogFileDir(): string | undefined {
  const dir = process.env.HALLEY_DATA_DIR;
  if (!dir || process.env.HALLEY_LOG_RETENTION_DAYS === '0') return undefined;
  return `${dir.replace(/\/+$/, '')}/logs`;
}

/** DATABASE_URL for the migration CLI (`tsx lib/db/migrate.ts`), which needs none of the other settings. */
export function migrationDatabaseUrl(): string | undefined {
  return process.env.DATABASE_URL;
}

/** Console pages: Next replaces NODE_ENV at build time, so this is the mode the bundle was built for. */
export function isDevelopmentBuild(): boolean {
  return process.env.NODE_ENV === 'development';
}

/**
 * next-auth takes the console's origin from the Host header only when AUTH_TRUST_HOST is set; server.ts
 * sets x-forwarded-proto (or keeps a trusted proxy's). An operator's own value wins.
 */
export function trustAuthHost(): void {
  process.env.AUTH_TRUST_HOST ??= '1';
}
