// Runs one job and reports it over the live connection: job.start, throttled job.progress, batched
// job.log, job.end. Reports are queued by the LiveClient until acknowledged, so a job survives a
// reconnect (or a restart of the web node) without losing its start, log or result.
import { JobStatus } from '../lib/comet/constants';
import type { TJobStats, TLogEntry } from '../lib/live/protocol';
import { CancelledError, type JobReporter } from './engine';
import type { LiveClient } from './live-client';

type JobSpec = { jobId: string; classification: number; sourceGuid?: string; destinationGuid?: string; backupRuleGuid?: string; tags?: string; clientVersion: string };
export type JobOutcome = { status?: number; stats: TJobStats };

const now = () => Math.floor(Date.now() / 1000);
const FLUSH_MS = 500;

export class RunningJobs {
  private cancelled = new Set<string>();
  private running = new Set<string>();
  has = (id: string) => this.running.has(id);
  cancel(id: string): boolean {
    if (!this.running.has(id)) return false;
    this.cancelled.add(id);
    return true;
  }
  get size(): number {
    return this.running.size;
  }

  /** Starts `work` as a job; resolves when its end was acknowledged by the server. */
  async run(client: LiveClient, spec: JobSpec, work: (reporter: JobReporter) => Promise<JobOutcome>): Promise<number> {
    this.running.add(spec.jobId);
    const done: Array<Promise<unknown>> = [];
    const send = (p: Promise<unknown>) => done.push(p.catch(() => undefined));
    send(
      client.report({
        t: 'job.start',
        jobId: spec.jobId,
        classification: spec.classification,
        startTime: now(),
        sourceGuid: spec.sourceGuid ?? '',
        destinationGuid: spec.destinationGuid ?? '',
        backupRuleGuid: spec.backupRuleGuid ?? '',
        clientVersion: spec.clientVersion,
        tags: spec.tags ?? '',
        stats: {},
      }),
    );
    let logged = 0;
    let logBuffer: TLogEntry[] = [];
    let latest: TJobStats | undefined;
    let counter = 0;
    const flush = () => {
      if (logBuffer.length) {
        send(client.report({ t: 'job.log', jobId: spec.jobId, from: logged, entries: logBuffer }));
        logged += logBuffer.length;
        logBuffer = [];
      }
      if (latest) {
        const t = now();
        counter += 1;
        send(client.report({ t: 'job.progress', jobId: spec.jobId, stats: { ...latest, Progress: { ...latest.Progress, Counter: counter, SentTime: t } } }));
        latest = undefined;
      }
    };
    const timer = setInterval(flush, FLUSH_MS);
    const reporter: JobReporter = {
      progress: (stats) => (latest = stats),
      log: (severity, message) => {
        logBuffer.push({ Time: now(), Severity: severity, Message: message.slice(0, 8000) });
        if (logBuffer.length >= 500) flush();
      },
      cancelled: () => this.cancelled.has(spec.jobId),
    };
    let outcome: JobOutcome;
    try {
      outcome = await work(reporter);
    } catch (err) {
      if (err instanceof CancelledError) {
        reporter.log('W', 'The job was cancelled');
        outcome = { status: JobStatus.JOB_STATUS_FAILED_CANCELLED, stats: {} };
      } else {
        reporter.log('E', (err as Error).message);
        outcome = { status: JobStatus.JOB_STATUS_FAILED_ERROR, stats: {} };
      }
    } finally {
      clearInterval(timer);
    }
    latest = undefined;
    flush();
    const status = outcome.status ?? JobStatus.JOB_STATUS_STOP_SUCCESS;
    send(client.report({ t: 'job.end', jobId: spec.jobId, status, endTime: now(), stats: outcome.stats }));
    this.running.delete(spec.jobId);
    this.cancelled.delete(spec.jobId);
    await Promise.all(done);
    return status;
  }
}
