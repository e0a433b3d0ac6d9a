// Halley's Prometheus series (prom-client), one set per process. Every name starts with `halley_`.
//
// This folder is a leaf: the code that knows a number calls one of the small recorders below (a line at the
// place it happens), and numbers that are cheaper to read at scrape time (live sockets, pool use, queue
// depths, backlogs) are registered as gauge callbacks by the process that owns them (lib/health).
//
// The series live on globalThis because the console's server actions run the endpoint registry inside
// Next's bundle, a second copy of this module in the web process: both copies must count into one registry.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets (seconds) for API calls and jobs: 5 ms .. 2 min. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

type GaugeReader = () => number | Array<{ labels: Record<string, string>; value: number }> | Promise<number | Array<{ labels: Record<string, string>; value: number }>>;

function createSeries() {
  const registry = new Registry();
  const readers = new Map<string, GaugeReader>();
  /** A gauge whose value is read at scrape time from the reader registered under its name (none: not shown). */
  const scraped = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const read = readers.get(name);
        if (!read) return;
        const value = await read();
        this.reset();
        if (typeof value === 'number') this.set(value);
        else for (const v of value) this.set(v.labels, v.value);
      },
    });
  return {
    registry,
    readers,
    defaultsStarted: false,
    apiRequests: new Counter({ name: 'halley_api_requests_total', help: 'API calls answered, by endpoint path and Comet status', labelNames: ['endpoint', 'status'], registers: [registry] }),
    apiDuration: new Histogram({ name: 'halley_api_request_duration_seconds', help: 'API call latency (form read to answer), by endpoint path', labelNames: ['endpoint'], buckets: LATENCY_BUCKETS, registers: [registry] }),
    commandDuration: new Histogram({
      name: 'halley_live_command_duration_seconds',
      help: 'Round trip of a command to a live device (any node), by command type and outcome',
      labelNames: ['command', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    tailPolls: new Counter({ name: 'halley_event_tail_polls_total', help: 'Polls of the Event outbox by this process\'s event tail (event-stream fan-out)', registers: [registry] }),
    webhookAttempts: new Counter({ name: 'halley_webhook_attempts_total', help: 'Webhook delivery attempts by outcome (delivered, retry = failed attempt to be retried, failed = given up, skipped)', labelNames: ['outcome'], registers: [registry] }),
    emailSends: new Counter({ name: 'halley_email_sends_total', help: 'Emails handed to an SMTP server, by outcome', labelNames: ['outcome'], registers: [registry] }),
    jobDuration: new Histogram({ name: 'halley_job_duration_seconds', help: 'Background job run time, by queue, job name and outcome', labelNames: ['queue', 'name', 'outcome'], buckets: LATENCY_BUCKETS, registers: [registry] }),
    liveDevices: scraped('halley_live_devices', 'Device live connections held by this web node'),
    lobbyDevices: scraped('halley_live_lobby_devices', 'Registration-lobby connections held by this web node'),
    eventStreams: scraped('halley_event_stream_clients', 'Admin event-stream websockets held by this web node'),
    draining: scraped('halley_draining', '1 while this node is shutting down (its /readyz answers 503)'),
    pgPool: scraped('halley_pg_pool_connections', 'PostgreSQL pool of this process: total, idle and waiting (clients queued for a connection)', ['state']),
    pgPoolMax: scraped('halley_pg_pool_max', 'PostgreSQL pool size limit of this process (HALLEY_DB_POOL_SIZE)'),
    queueJobs: scraped('halley_queue_jobs', 'BullMQ jobs per queue and state (cluster-wide; exported by workers nodes)', ['queue', 'state']),
    webhookBacklog: scraped('halley_webhook_backlog', 'Webhook deliveries pending (not yet delivered or given up), cluster-wide'),
    campaigns: scraped('halley_campaigns', 'Update campaigns by state (running, paused, finished, aborted), cluster-wide', ['state']),
    campaignDevices: scraped('halley_campaign_devices', 'Devices of the current update campaign by update status (not_seen, ineligible, pending, request_made, update_failed, update_confirmed), cluster-wide', ['status']),
    campaignDone: scraped('halley_campaign_done_ratio', 'Share of the current campaign\'s eligible devices that are done (confirmed or failed); 0 without a campaign, cluster-wide'),
    outboxLag: scraped('halley_event_outbox_lag_seconds', 'Age of the oldest event the webhook dispatcher has not read yet (0 when caught up), cluster-wide'),
  };
}

type Series = ReturnType<typeof createSeries>;
const holder = globalThis as unknown as { __halleyMetrics?: Series };

function series(): Series {
  holder.__halleyMetrics ??= createSeries();
  return holder.__halleyMetrics;
}

/** Names of the gauges whose value is read at scrape time. */
type ScrapedGauge =
  | 'liveDevices'
  | 'lobbyDevices'
  | 'eventStreams'
  | 'draining'
  | 'pgPool'
  | 'pgPoolMax'
  | 'queueJobs'
  | 'webhookBacklog'
  | 'outboxLag'
  | 'campaigns'
  | 'campaignDevices'
  | 'campaignDone';

/** Registers (or replaces) the reader of a scrape-time gauge in this process. */
export function readGaugeWith(gauge: ScrapedGauge, read: GaugeReader): void {
  const s = series();
  s.readers.set((s[gauge] as unknown as { name: string }).name, read);
}

/**
 * Starts prom-client's process metrics (CPU, memory, heap, event-loop lag, GC, handles) with the halley_
 * prefix and labels every series with the process role (web, workers).
 */
export function startProcessMetrics(role: string): void {
  const s = series();
  if (s.defaultsStarted) return;
  s.defaultsStarted = true;
  s.registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: s.registry, prefix: 'halley_' });
}

/** The exposition text and its content type. */
export async function renderMetrics(): Promise<{ text: string; contentType: string }> {
  const s = series();
  return { text: await s.registry.metrics(), contentType: s.registry.contentType };
}

const seconds = (startedNs: bigint) => Number(process.hrtime.bigint() - startedNs) / 1e9;

/** One API call: `endpoint` must come from a bounded set (registry paths), `status` is the Comet Status. */
export function recordApiCall(endpoint: string, status: number, startedNs: bigint): void {
  const s = series();
  s.apiRequests.inc({ endpoint, status: String(status) });
  s.apiDuration.observe({ endpoint }, seconds(startedNs));
}

/** Times a command's round trip; passes its result or error through. */
export async function observeCommand<T extends { ok: boolean }>(command: string, pending: Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    const result = await pending;
    series().commandDuration.observe({ command, outcome: result.ok ? 'ok' : 'refused' }, seconds(started));
    return result;
  } catch (err) {
    series().commandDuration.observe({ command, outcome: 'unreachable' }, seconds(started));
    throw err;
  }
}

/** One poll of the event tail (one per interval per process while a stream is open; a test counts them). */
export function countTailPoll(): void {
  series().tailPolls.inc();
}

export function countWebhookAttempts(counts: Partial<Record<'delivered' | 'retry' | 'failed' | 'skipped', number>>): void {
  const s = series();
  for (const [outcome, n] of Object.entries(counts)) if (n) s.webhookAttempts.inc({ outcome }, n);
}

/** Counts an SMTP send by its outcome; passes its result or error through. */
export async function countEmailSend<T>(pending: Promise<T>): Promise<T> {
  try {
    const result = await pending;
    series().emailSends.inc({ outcome: 'sent' });
    return result;
  } catch (err) {
    series().emailSends.inc({ outcome: 'error' });
    throw err;
  }
}

/** Times a background job; passes its result or error through. */
export async function timeJob<T>(queue: string, name: string, run: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    const result = await run();
    series().jobDuration.observe({ queue, name, outcome: 'completed' }, seconds(started));
    return result;
  } catch (err) {
    const postponed = (err as Error)?.name === 'DelayedError';
    series().jobDuration.observe({ queue, name, outcome: postponed ? 'postponed' : 'failed' }, seconds(started));
    throw err;
  }
}
