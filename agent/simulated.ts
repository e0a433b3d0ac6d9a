// `--simulate N`: N lightweight devices in one process, for load tests and the demo. Each keeps its own
// live connection and answers every command; backups are simulated (plausible sizes and durations, no
// disk I/O) but reported exactly like real ones. Optionally each runs a backup every `intervalSeconds`.
// Devices may start at an older client version (`clientVersion`); told to update, a device pretends the
// real agent's cycle: it acknowledges, "restarts" (drops its connection) and reconnects advertising the
// new version, or, for `updateFailurePercent` of the devices, comes back with the old one (a rollback) and
// reports the failure (`update.failed`, stage rollback) like the real agent; with `updateFailureReports: false`
// it does not, like agents from before that report (the server then judges by the version alone).
import { randomUUID } from 'node:crypto';
import { JobClassification, JobStatus } from '../lib/comet/constants';
import type { TCommand, TCommandResult } from '../lib/live/protocol';
import { CLIENT_VERSION } from '../lib/client-builds/client-version';
import { AGENT_VERSION } from './device';
import { RunningJobs, type JobOutcome } from './job-runner';
import { LiveClient } from './live-client';

type Json = Record<string, any>;

export type SimulateOptions = {
  url: string;
  username: string;
  password: string;
  count: number;
  /** Device IDs are `${prefix}-${i}`, so a restart reconnects the same devices. */
  prefix?: string;
  /** Each device starts a backup about this often (seconds, with jitter); 0 = only on command. */
  intervalSeconds?: number;
  /** How long a simulated backup takes (seconds). */
  jobSeconds?: number;
  log?: (msg: string) => void;
  backoff?: { baseMs: number; maxMs: number };
  /** The version the devices report at start (default: the agent's own). */
  clientVersion?: string;
  /** This share (%) of the devices (by index) pretend a failed update: they come back with the old version. */
  updateFailurePercent?: number;
  /** How long a pretended update takes before the device reconnects (ms). */
  updateMs?: number;
  /** Whether a failed update is reported (`update.failed`), as agents since wave 7 do (default true). */
  updateFailureReports?: boolean;
  /**
   * Devices registered earlier (IDs, their accounts, the device tokens they were issued): device i is
   * identities[i] and signs in with its token, as an installed agent does after its first sign-in, so one
   * simulator can be a fleet spread over many accounts. Without it every device is `${prefix}-${i}` of
   * `username`, signing in with the password.
   */
  identities?: Array<{ deviceId: string; username: string; token: string }>;
};

const PLATFORMS = [
  { platform: 'windows', os: 'windows', version: '10.0.22631', distribution: 'Windows 11 Pro', arch: 'amd64' },
  { platform: 'linux', os: 'linux', version: '6.1.0', distribution: 'Debian 12', arch: 'amd64' },
  { platform: 'darwin', os: 'darwin', version: '14.5', distribution: 'macOS Sonoma', arch: 'arm64' },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SimulatedDevice {
  readonly client: LiveClient;
  readonly jobs = new RunningJobs();
  profile: Json = {};
  private timer?: NodeJS.Timeout;
  private vaultSize = 0;
  private readonly failsUpdates: boolean;

  constructor(
    readonly deviceId: string,
    readonly opts: SimulateOptions,
    index: number,
    identity?: { username: string; token: string },
  ) {
    const p = PLATFORMS[index % PLATFORMS.length];
    this.vaultSize = 5e8 + ((index * 7919) % 50) * 1e8;
    this.failsUpdates = index % 100 < (opts.updateFailurePercent ?? 0);
    this.client = new LiveClient({
      url: opts.url,
      auth: identity ? { kind: 'token', username: identity.username, token: identity.token } : { kind: 'password', username: opts.username, password: opts.password },
      device: {
        deviceId,
        friendlyName: `${p.distribution.split(' ')[0]}-${String(index + 1).padStart(3, '0')}`,
        version: opts.clientVersion || AGENT_VERSION,
        platform: p.platform,
        platformVersion: { os: p.os, arch: p.arch, version: p.version, distribution: p.distribution, build: '' },
        timezone: 'UTC',
        allowsFilenames: true,
      },
      backoff: opts.backoff,
      onCommand: (cmd) => this.onCommand(cmd),
      onWelcome: () => void this.refetch().catch(() => undefined),
    });
  }

  start(): void {
    this.client.start();
    const every = (this.opts.intervalSeconds ?? 0) * 1000;
    if (every > 0) {
      const tick = () => {
        this.timer = setTimeout(() => {
          const rule = this.firstRule();
          if (this.client.connected && rule && !this.jobs.size) void this.backup(randomUUID(), rule.source, rule.destination, rule.id);
          tick();
        }, every * (0.5 + Math.random()));
        this.timer.unref();
      };
      tick();
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.client.stop();
  }

  /** The version this device reports. */
  get version(): string {
    return this.client.opts.device.version;
  }

  /** Pretends the agent's update: download and swap take `updateMs`, then a restart (reconnect). */
  private pretendUpdate(target: string): void {
    const timer = setTimeout(() => {
      if (!this.failsUpdates) this.client.opts.device.version = target;
      this.opts.log?.(`${this.deviceId}: ${this.failsUpdates ? 'update failed, rolled back to' : 'updated to'} ${this.version}; restarting`);
      this.client.reconnect(0);
      // Sent once the device is back (the report waits in the outbox until the server acknowledges it).
      if (this.failsUpdates && this.opts.updateFailureReports !== false) {
        const reason = `The update to ${target} did not come up (simulated device): rolled back to ${this.version}`;
        void this.client.report({ t: 'update.failed', version: target, stage: 'rollback', reason }).catch(() => undefined);
      }
    }, this.opts.updateMs ?? 300);
    timer.unref();
  }

  private async refetch(): Promise<void> {
    this.profile = ((await this.client.report({ t: 'profile.get' }))?.profile as Json) ?? {};
  }

  private firstRule(): { id: string; source: string; destination: string } | null {
    const [id, rule] = Object.entries((this.profile.BackupRules ?? {}) as Record<string, Json>)[0] ?? [];
    if (id) return { id, source: rule.Source, destination: rule.Destination };
    const source = Object.keys(this.profile.Sources ?? {})[0];
    const destination = Object.keys(this.profile.Destinations ?? {})[0];
    return source && destination ? { id: '', source, destination } : null;
  }

  backup(jobId: string, source: string, destination: string, rule = ''): Promise<number> {
    return this.jobs.run(
      this.client,
      { jobId, classification: JobClassification.JOB_CLASSIFICATION_BACKUP, sourceGuid: source, destinationGuid: destination, backupRuleGuid: rule, clientVersion: this.version },
      async (reporter): Promise<JobOutcome> => {
        const files = 2000 + Math.floor(Math.random() * 20_000);
        const size = files * (50_000 + Math.floor(Math.random() * 200_000));
        const changed = Math.random() * 0.05;
        const seconds = this.opts.jobSeconds ?? 5;
        const start = { Size: this.vaultSize, MeasureStarted: Math.floor(Date.now() / 1000), MeasureCompleted: Math.floor(Date.now() / 1000) };
        reporter.log('I', `Backing up ${files} files (simulated)`);
        const steps = Math.max(1, Math.round(seconds * 2));
        for (let i = 1; i <= steps; i++) {
          if (reporter.cancelled()) return { status: JobStatus.JOB_STATUS_FAILED_CANCELLED, stats: {} };
          await sleep((seconds * 1000) / steps);
          reporter.progress({ TotalFiles: Math.floor((files * i) / steps), TotalSize: Math.floor((size * i) / steps), Progress: { BytesDone: Math.floor((size * i) / steps), ItemsDone: Math.floor((files * i) / steps), ItemsTotal: files } });
        }
        const upload = Math.floor(size * changed);
        this.vaultSize += upload;
        const warn = Math.random() < 0.1;
        if (warn) reporter.log('W', 'Some files were in use and were skipped (simulated)');
        reporter.log('I', `Uploaded ${upload} bytes (simulated)`);
        return {
          status: warn ? JobStatus.JOB_STATUS_FAILED_WARNING : JobStatus.JOB_STATUS_STOP_SUCCESS,
          stats: {
            TotalDirectories: Math.ceil(files / 40),
            TotalFiles: files,
            TotalSize: size,
            TotalChunks: Math.ceil(size / 65536),
            UploadSize: upload,
            SnapshotID: `${Math.floor(Date.now() / 1000)}-sim`,
            DestinationSizeStart: start,
            DestinationSizeEnd: { Size: this.vaultSize, MeasureStarted: Math.floor(Date.now() / 1000), MeasureCompleted: Math.floor(Date.now() / 1000) },
          },
        };
      },
    );
  }

  async onCommand(cmd: TCommand): Promise<TCommandResult> {
    const started = (id: string, work: Promise<number>) => (void work.catch(() => undefined), { ok: true, message: 'Started', data: { JobID: id } });
    switch (cmd.type) {
      case 'run-backup': {
        const rule = this.profile.BackupRules?.[cmd.backupRule];
        return started(cmd.jobId, this.backup(cmd.jobId, rule?.Source ?? '', rule?.Destination ?? '', cmd.backupRule));
      }
      case 'run-backup-custom':
        return started(cmd.jobId, this.backup(cmd.jobId, cmd.source, cmd.destination));
      case 'run-restore':
      case 'apply-retention': {
        const classification = cmd.type === 'run-restore' ? JobClassification.JOB_CLASSIFICATION_RESTORE : JobClassification.JOB_CLASSIFICATION_RETENTION;
        const work = this.jobs.run(this.client, { jobId: cmd.jobId, classification, destinationGuid: cmd.destination, sourceGuid: 'source' in cmd ? cmd.source : '', clientVersion: this.version }, async (reporter) => {
          await sleep(1000);
          reporter.log('I', `${cmd.type} finished (simulated)`);
          return { stats: { TotalFiles: 10, TotalSize: 1_000_000, DownloadSize: cmd.type === 'run-restore' ? 1_000_000 : 0 } };
        });
        return started(cmd.jobId, work);
      }
      case 'cancel-job':
        return this.jobs.cancel(cmd.jobId) ? { ok: true, message: 'Cancelling' } : { ok: false, message: `Job ${cmd.jobId} is not running on this device` };
      case 'refetch-profile':
        await this.refetch();
        return { ok: true, message: 'Profile reloaded' };
      case 'update-software': {
        const target = cmd.version || CLIENT_VERSION;
        this.pretendUpdate(target);
        return { ok: true, message: `Updating from ${this.version} to ${target} (simulated device)` };
      }
      case 'uninstall':
        return { ok: true, message: 'Uninstalling (simulated device)' };
      case 'ping-destination':
        return { ok: true, message: 'Storage location reachable (simulated device)' };
      case 'request':
        return { ok: false, message: `${cmd.op}: a simulated device has no disk, vault or engine to browse` };
      case 'news':
        return { ok: true, message: 'News received (simulated devices keep none)' };
      default:
        return { ok: false, message: `Unsupported command ${cmd.type}` };
    }
  }
}

/** Starts `count` simulated devices, spread over a few seconds so the server is not hit all at once. */
export async function startSimulatedDevices(opts: SimulateOptions): Promise<SimulatedDevice[]> {
  const prefix = opts.prefix ?? `sim-${opts.username}`;
  const devices: SimulatedDevice[] = [];
  const count = opts.identities ? Math.min(opts.count, opts.identities.length) : opts.count;
  for (let i = 0; i < count; i++) {
    const identity = opts.identities?.[i];
    const d = new SimulatedDevice(identity?.deviceId ?? `${prefix}-${i}`, opts, i, identity);
    devices.push(d);
    d.start();
    if (i % 50 === 49) await sleep(100);
  }
  return devices;
}
