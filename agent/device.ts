// The reference agent's device: keeps the live connection, works from its account profile, runs
// backups of local folders into storage vaults (local paths, Halley Storage Role buckets, S3-compatible, B2) (on command and on the profile's schedules),
// restores, applies retention and answers every dispatcher command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { JobClassification, JobStatus } from '../lib/comet/constants';
import type { TCommand, TCommandResult, TDeviceInfo } from '../lib/live/protocol';
import { AgentDispatcher } from './dispatcher';
import { backupDirectories, restoreSnapshot } from './engine';
import { RunningJobs, type JobOutcome } from './job-runner';
import { LiveClient, type AgentAuth } from './live-client';
import { snapshotsToKeep, retentionFor } from './retention';
import { nextRun, type Schedule } from './schedule';
import { activateUpdate, confirmDeadlineMs, confirmUpdate, failureReport, installedAgent, readPending, RESTART_EXIT_CODE, stageUpdate, takeUpdateFailure, UNCONFIRMED_EXIT_CODE, UpdateFailure, type UpdateStage } from './self-update';
import { QuotaExceededError, Vault } from './vault';
import { storeFor } from './vault-stores';
import { CLIENT_VERSION } from '../lib/client-builds/client-version';
import { applyNews } from './news-store';

/** The installation this agent runs from (started by install.sh's launcher), or null when run from sources. */
const INSTALLED = installedAgent();
/** An installed agent's version is its package's; from sources, the version this tree builds. */
export const AGENT_VERSION = INSTALLED?.version ?? CLIENT_VERSION;
type Json = Record<string, any>;

/**
 * vaultPassword: the account password an install-token sign-in brought (the vaults' keys are wrapped with it);
 * kept here (mode 0600) because such a device was never given the password otherwise.
 */
type AgentState = { deviceId: string; friendlyName: string; url: string; username: string; token?: string; vaultPassword?: string };

type DeviceOptions = {
  url: string;
  username: string;
  password?: string;
  /** The account's current TOTP code, for a first sign-in with password and TOTP. */
  totp?: string;
  /** Where the device keeps its ID and token (agent-state.json). */
  stateDir: string;
  friendlyName?: string;
  /** Start in the registration lobby instead of signing in. */
  lobby?: boolean;
  /** A one-time install token (install.sh --install-token) for the first sign-in, when no device token is saved yet. */
  installToken?: string;
  log?: (msg: string) => void;
  backoff?: { baseMs: number; maxMs: number };
  /** Ends the process so the launcher starts it again (after a self-update swapped `current`). */
  exit?: (code: number) => void;
};

function loadState(stateDir: string): AgentState | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, 'agent-state.json'), 'utf8')) as AgentState;
  } catch {
    return null;
  }
}

function saveState(stateDir: string, state: AgentState): void {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, 'agent-state.json'), JSON.stringify(state, null, 2), { mode: 0o600 });
}

export class AgentDevice {
  readonly client: LiveClient;
  readonly jobs = new RunningJobs();
  profile: Json = {};
  state: AgentState;
  stoppedReason?: string;
  private vaults = new Map<string, { config: string; vault: Promise<Vault> }>();
  private scheduleTimer?: NodeJS.Timeout;
  private confirmTimer?: NodeJS.Timeout;
  private updating = false;
  private lastTick = Date.now();
  private dispatcher = new AgentDispatcher({
    client: () => this.client,
    jobs: this.jobs,
    version: AGENT_VERSION,
    profile: () => this.profile,
    refetchProfile: () => this.refetchProfile(),
    vault: (id) => this.vault(id),
    password: () => this.opts.password,
    setPassword: (password) => {
      this.opts.password = password;
      this.vaults.clear();
      if (this.state.vaultPassword !== undefined) {
        this.state = { ...this.state, vaultPassword: password };
        saveState(this.opts.stateDir, this.state);
      }
    },
    log: (msg) => this.log(msg),
  });

  constructor(readonly opts: DeviceOptions) {
    const saved = loadState(opts.stateDir);
    this.state = saved ?? { deviceId: randomUUID(), friendlyName: opts.friendlyName ?? os.hostname(), url: opts.url, username: opts.username };
    if (saved && saved.username !== opts.username && opts.username) this.state = { ...saved, username: opts.username, token: undefined };
    saveState(opts.stateDir, this.state);
    if (!opts.password && this.state.vaultPassword) opts.password = this.state.vaultPassword;
    const device: TDeviceInfo = {
      deviceId: this.state.deviceId,
      friendlyName: this.state.friendlyName,
      version: AGENT_VERSION,
      platform: process.platform,
      platformVersion: { os: process.platform, arch: process.arch, version: os.release(), distribution: '', build: '' },
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? '',
      allowsFilenames: true,
    };
    const auth: AgentAuth = opts.lobby
      ? { kind: 'lobby' }
      : this.state.token
        ? { kind: 'token', username: this.state.username, token: this.state.token }
        : opts.installToken && !opts.password
          ? { kind: 'install-token', token: opts.installToken }
          : { kind: 'password', username: opts.username, password: opts.password ?? '', ...(opts.totp ? { totp: opts.totp } : {}) };
    this.client = new LiveClient({
      url: this.state.url || opts.url,
      auth,
      device,
      log: opts.log,
      backoff: opts.backoff,
      onCommand: (cmd) => this.onCommand(cmd),
      onToken: (username, token, vaultPassword) => {
        if (vaultPassword && !this.opts.password) {
          this.opts.password = vaultPassword;
          this.vaults.clear();
        }
        this.state = { ...this.state, username, token, ...(vaultPassword ? { vaultPassword } : {}) };
        saveState(opts.stateDir, this.state);
      },
      onWelcome: () => {
        this.confirmInstalledUpdate();
        void this.refetchProfile().catch((err) => this.log(`could not fetch the profile: ${(err as Error).message}`));
      },
      onMoved: (url) => {
        this.state = { ...this.state, url };
        saveState(opts.stateDir, this.state);
      },
      onStopped: (reason) => {
        this.stoppedReason = reason;
        clearInterval(this.scheduleTimer);
      },
    });
  }

  private log(msg: string) {
    this.opts.log?.(msg);
  }

  start(): void {
    if (INSTALLED) {
      const failure = takeUpdateFailure(INSTALLED.prefix);
      if (failure) {
        this.log(failure);
        // The launcher rolled the update back: the server hears why (sent once connected, until acknowledged).
        const report = failureReport(failure);
        if (report) this.reportUpdateFailure(report.version, report.stage, report.reason);
      }
      // A freshly updated version must be welcomed by the server in time, or the launcher rolls it back.
      if (readPending(INSTALLED.prefix)?.next === path.basename(INSTALLED.dir)) {
        this.confirmTimer = setTimeout(() => {
          this.log(`version ${AGENT_VERSION} was not welcomed by the server within ${confirmDeadlineMs() / 1000} s: giving it up`);
          this.client.stop('update not confirmed');
          this.exit(UNCONFIRMED_EXIT_CODE);
        }, confirmDeadlineMs());
      }
    }
    this.client.start();
    this.scheduleTimer = setInterval(() => this.runDueSchedules(), 15_000);
    this.scheduleTimer.unref();
  }

  private exit(code: number): void {
    (this.opts.exit ?? ((c: number) => setTimeout(() => process.exit(c), 200)))(code);
  }

  /** Tells the server an update failed (an `update.failed` report; an update campaign marks the device failed). */
  private reportUpdateFailure(version: string, stage: UpdateStage, reason: string): void {
    this.client.report({ t: 'update.failed', version: version.slice(0, 64), stage, reason: reason.slice(0, 2000) }).catch((err) => this.log(`could not report the failed update: ${(err as Error).message}`));
  }

  private confirmInstalledUpdate(): void {
    if (!INSTALLED) return;
    clearTimeout(this.confirmTimer);
    this.confirmTimer = undefined;
    const confirmed = confirmUpdate(INSTALLED);
    if (confirmed) this.log(`update to ${AGENT_VERSION} confirmed (replaced ${confirmed.previous})`);
  }

  /** update-software: download, verify and stage the build, swap `current` and restart into it (self-update.ts). */
  private async selfUpdate(cmd: Extract<TCommand, { type: 'update-software' }>): Promise<TCommandResult> {
    if (!INSTALLED) return { ok: false, message: 'This agent runs from its sources, not from an installed client package (install.sh), so it cannot replace itself' };
    if (this.updating) return { ok: false, message: 'An update is already being installed' };
    this.updating = true;
    try {
      const staged = await stageUpdate({
        installed: INSTALLED,
        selfAddress: cmd.selfAddress,
        serverUrl: this.client.url,
        deviceToken: this.state.token,
        expectVersion: cmd.version,
        log: (msg) => this.log(msg),
      });
      activateUpdate(INSTALLED, staged);
      this.log(`version ${staged.version} installed in versions/${staged.next}; restarting into it`);
      // The answer goes out first; then the launcher starts `current` again.
      setTimeout(() => {
        this.client.stop('restarting into an update');
        this.exit(RESTART_EXIT_CODE);
      }, 300);
      return { ok: true, message: `Installed version ${staged.version} (was ${AGENT_VERSION}); restarting into it` };
    } catch (err) {
      this.updating = false;
      const message = `Update failed, still running ${AGENT_VERSION}: ${(err as Error).message}`;
      this.log(message);
      this.reportUpdateFailure(cmd.version ?? '', err instanceof UpdateFailure ? err.stage : 'start', (err as Error).message);
      return { ok: false, message };
    }
  }

  stop(): void {
    clearTimeout(this.confirmTimer);
    clearInterval(this.scheduleTimer);
    this.client.stop('agent stopped');
  }

  async refetchProfile(): Promise<void> {
    const data = await this.client.report({ t: 'profile.get' });
    this.profile = (data?.profile as Json) ?? {};
  }

  private runDueSchedules(): void {
    const now = Date.now();
    for (const [ruleId, rule] of Object.entries((this.profile.BackupRules ?? {}) as Record<string, Json>)) {
      const source = this.profile.Sources?.[rule.Source];
      if (!source || (source.OwnerDevice && source.OwnerDevice !== this.state.deviceId)) continue;
      const due = ((rule.Schedules ?? []) as Schedule[]).some((s) => {
        const t = nextRun(s, this.lastTick);
        return t !== null && t <= now;
      });
      if (due && !this.jobs.size) void this.backup(randomUUID(), rule.Source, rule.Destination, ruleId);
    }
    this.lastTick = now;
  }

  /** The vault of a Storage Vault in the profile (reopened when its location changed). */
  private vault(destinationId: string): Promise<Vault> {
    const dest = this.profile.Destinations?.[destinationId];
    if (!dest) throw new Error(`Storage vault ${destinationId} is not in this account's profile`);
    const store = storeFor(dest);
    if (!this.opts.password) throw new Error('The agent was started without the account password, which unlocks the vault key');
    const config = JSON.stringify([dest.DestinationType, dest.LocalcopyPath, dest.CometServer, dest.CometBucket, dest.CometBucketKey, dest.S3Server, dest.S3BucketName, dest.S3Subdir, dest.S3AccessKey, dest.S3SecretKey, dest.B2]);
    let v = this.vaults.get(destinationId);
    if (!v || v.config !== config) {
      const opened = Vault.openOrCreate(store, this.opts.password);
      opened.catch(() => this.vaults.delete(destinationId));
      v = { config, vault: opened };
      this.vaults.set(destinationId, v);
    }
    return v.vault;
  }

  private roots(sourceId: string): string[] {
    const source = this.profile.Sources?.[sourceId];
    if (!source) throw new Error(`Protected item ${sourceId} is not in this account's profile`);
    if (source.Engine !== 'engine1/file') throw new Error(`Protected item ${sourceId}: this agent backs up files and folders (engine1/file) only`);
    const props = (source.EngineProps ?? {}) as Record<string, string>;
    const roots = Object.keys(props)
      .filter((k) => /^INCLUDE\d+$/.test(k))
      .sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)))
      .map((k) => props[k]);
    if (!roots.length) throw new Error(`Protected item ${sourceId} has no folders (EngineProps INCLUDE0, INCLUDE1, ...)`);
    return roots;
  }

  private async measured(vault: Vault) {
    const start = Math.floor(Date.now() / 1000);
    return { Size: await vault.size(), MeasureStarted: start, MeasureCompleted: Math.floor(Date.now() / 1000) };
  }

  backup(jobId: string, sourceId: string, destinationId: string, ruleId = ''): Promise<number> {
    return this.jobs.run(
      this.client,
      { jobId, classification: JobClassification.JOB_CLASSIFICATION_BACKUP, sourceGuid: sourceId, destinationGuid: destinationId, backupRuleGuid: ruleId, clientVersion: AGENT_VERSION },
      async (reporter): Promise<JobOutcome> => {
        // The vault's limit moves as other vaults sharing its storage quota grow: read it fresh for every job
        // (the cached profile serves when the server cannot answer right now).
        await this.refetchProfile().catch(() => undefined);
        const vault = await this.vault(destinationId);
        const before = await this.measured(vault);
        // StorageLimitBytes: the job fails with JOB_STATUS_FAILED_QUOTA before a write would cross it.
        const dest = this.profile.Destinations[destinationId];
        const limit = dest.StorageLimitEnabled ? Number(dest.StorageLimitBytes) || 0 : null;
        vault.limitGrowth(limit === null ? null : limit - before.Size);
        try {
          const { stats, snapshot } = await backupDirectories({ vault, roots: this.roots(sourceId), jobId, sourceGuid: sourceId, reporter });
          return { stats: { ...stats, SnapshotID: snapshot.id, DestinationSizeStart: before, DestinationSizeEnd: await this.measured(vault) } };
        } catch (err) {
          if (!(err instanceof QuotaExceededError)) throw err;
          reporter.log('E', `${err.message}: ${limit} bytes allowed, ${before.Size} used before this job`);
          return { status: JobStatus.JOB_STATUS_FAILED_QUOTA, stats: { DestinationSizeStart: before, DestinationSizeEnd: await this.measured(vault) } };
        } finally {
          vault.limitGrowth(null);
        }
      },
    );
  }

  restore(jobId: string, cmd: Extract<TCommand, { type: 'run-restore' }>): Promise<number> {
    return this.jobs.run(
      this.client,
      { jobId, classification: JobClassification.JOB_CLASSIFICATION_RESTORE, sourceGuid: cmd.source, destinationGuid: cmd.destination, clientVersion: AGENT_VERSION },
      async (reporter): Promise<JobOutcome> => {
        const vault = await this.vault(cmd.destination);
        const snapshots = await vault.listSnapshots(cmd.source);
        const snapshot = cmd.snapshot ? snapshots.find((s) => s.id === cmd.snapshot) : snapshots.at(-1);
        if (!snapshot) throw new Error(cmd.snapshot ? `Snapshot ${cmd.snapshot} was not found` : 'This protected item has no snapshot in the vault');
        const stats = await restoreSnapshot({ vault, snapshot, target: cmd.path, paths: cmd.paths, reporter });
        return { stats: { ...stats, SnapshotID: snapshot.id } };
      },
    );
  }

  retention(jobId: string, destinationId: string): Promise<number> {
    return this.jobs.run(this.client, { jobId, classification: JobClassification.JOB_CLASSIFICATION_RETENTION, destinationGuid: destinationId, clientVersion: AGENT_VERSION }, async (reporter) => {
      await this.refetchProfile();
      const vault = await this.vault(destinationId);
      const before = await this.measured(vault);
      // Each protected item's snapshots in this vault, judged by the item's retention override for the
      // vault or the vault's default retention (no policy: keep everything); then unused chunks go.
      const bySource = new Map<string, Array<{ id: string; time: number }>>();
      for (const s of await vault.listSnapshots()) bySource.set(s.sourceGuid, [...(bySource.get(s.sourceGuid) ?? []), { id: s.id, time: s.time }]);
      const now = Math.floor(Date.now() / 1000);
      let dropped = 0;
      for (const [sourceGuid, snapshots] of bySource) {
        const keep = snapshotsToKeep(snapshots, retentionFor(this.profile, sourceGuid, destinationId), now);
        for (const s of snapshots) {
          if (keep.has(s.id)) continue;
          await vault.deleteSnapshot(s.id);
          dropped += 1;
        }
      }
      const removed = await vault.collectGarbage();
      reporter.log('I', `Retention: removed ${dropped} snapshots and ${removed} unused chunks`);
      return { stats: { DestinationSizeStart: before, DestinationSizeEnd: await this.measured(vault) } };
    });
  }

  /** Tests the location itself, for every type this agent stores to: it must exist and accept a write. */
  private async pingDestination(location: Json): Promise<TCommandResult> {
    try {
      const store = storeFor(location);
      await store.probe();
      return { ok: true, message: `${store.description} is reachable and writable` };
    } catch (err) {
      const e = err as Error;
      return { ok: false, message: e.message || e.name || 'the location is not reachable' };
    }
  }

  private started(jobId: string, work: Promise<number>): TCommandResult {
    work.catch((err) => this.log(`job ${jobId} failed: ${(err as Error).message}`));
    return { ok: true, message: 'Started', data: { JobID: jobId } };
  }

  async onCommand(cmd: TCommand): Promise<TCommandResult> {
    switch (cmd.type) {
      case 'run-backup': {
        await this.refetchProfile();
        const rule = this.profile.BackupRules?.[cmd.backupRule];
        if (!rule) return { ok: false, message: `Backup rule ${cmd.backupRule} is not in this account's profile` };
        return this.started(cmd.jobId, this.backup(cmd.jobId, rule.Source, rule.Destination, cmd.backupRule));
      }
      case 'run-backup-custom':
        await this.refetchProfile();
        return this.started(cmd.jobId, this.backup(cmd.jobId, cmd.source, cmd.destination));
      case 'run-restore':
        await this.refetchProfile();
        return this.started(cmd.jobId, this.restore(cmd.jobId, cmd));
      case 'apply-retention':
        await this.refetchProfile();
        return this.started(cmd.jobId, this.retention(cmd.jobId, cmd.destination));
      case 'cancel-job':
        return this.jobs.cancel(cmd.jobId) ? { ok: true, message: 'Cancelling' } : { ok: false, message: `Job ${cmd.jobId} is not running on this device` };
      case 'refetch-profile':
        await this.refetchProfile();
        return { ok: true, message: 'Profile reloaded' };
      case 'update-software':
        return this.selfUpdate(cmd);
      case 'uninstall':
        if (cmd.removeConfig) fs.rmSync(path.join(this.opts.stateDir, 'agent-state.json'), { force: true });
        return { ok: true, message: 'Uninstalling' };
      case 'ping-destination':
        return this.pingDestination(cmd.location);
      case 'request':
        return this.dispatcher.request(cmd);
      case 'vault-job':
        return this.dispatcher.vaultJob(cmd);
      case 'run-restore-custom':
        return this.dispatcher.restoreCustom(cmd);
      case 'update-login-password':
        return this.dispatcher.updateLoginPassword(cmd.password);
      case 'news': {
        const fresh = applyNews(this.opts.stateDir, cmd);
        for (const item of fresh) this.log(`news: ${item.text}`);
        return { ok: true, message: `${fresh.length} new news item(s)` };
      }
      case 'import-apply':
        // request-import-sources lists none on this agent, so no ID can name one.
        return { ok: false, message: `Import source ${cmd.importSourceId} was not found on this device` };
      default:
        return { ok: false, message: `Unsupported command ${cmd.type}` };
    }
  }
}
