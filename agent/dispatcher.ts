// What the reference agent answers to issue 15's dispatcher commands: browse its own disk and disks, list,
// browse and search the snapshots in its vaults, delete snapshots, deep verify / reindex / unlock a vault,
// custom restores, a new login password. Engines this files-and-folders agent does not have (VMware, Hyper-V,
// Proxmox, SQL servers, MongoDB, Exchange, VSS, Office 365, disk images) answer a clear error, never data.
import fs from 'node:fs';
import path from 'node:path';
import { JobClassification, JobStatus } from '../lib/comet/constants';
import type { TCommand, TCommandResult } from '../lib/live/protocol';
import { CancelledError, restoreSnapshot, type JobReporter } from './engine';
import type { JobOutcome, RunningJobs } from './job-runner';
import type { LiveClient } from './live-client';
import type { Snapshot, SnapshotFile, Vault } from './vault';

type Json = Record<string, any>;

/** What the dispatcher needs from the device (agent/device.ts). */
type DispatcherHost = {
  client(): LiveClient;
  jobs: RunningJobs;
  version: string;
  profile(): Json;
  refetchProfile(): Promise<void>;
  vault(destinationId: string): Promise<Vault>;
  /** The account password the agent unlocks vault keys with (update-login-password changes it). */
  password(): string | undefined;
  setPassword(password: string): void;
  log(msg: string): void;
};

/** Engines a Comet client can have and this agent has not, by command. */
const ENGINES: Record<string, string> = {
  'request-windisk-snapshot': 'Disk image (windisk)',
  'browse-virtual-machines': 'virtual machine',
  'request-browse-exchange-edb': 'Microsoft Exchange',
  'request-browse-hyperv': 'Microsoft Hyper-V',
  'request-browse-mongodb': 'MongoDB',
  'request-browse-mssql': 'Microsoft SQL Server',
  'request-browse-mysql': 'MySQL',
  'request-browse-proxmox': 'Proxmox',
  'request-browse-proxmox/nodes': 'Proxmox',
  'request-browse-proxmox/storage': 'Proxmox',
  'request-browse-vmware': 'VMware',
  'request-browse-vmware/datacenters': 'VMware',
  'request-browse-vmware/datastores': 'VMware',
  'request-browse-vmware/hosts': 'VMware',
  'request-browse-vmware/networks': 'VMware',
  'request-browse-vss-aaw': 'Windows VSS',
  'request-office365-accounts': 'Office 365',
  'request-office365-sites': 'Office 365',
  'office365-list-virtual-accounts': 'Office 365',
  'register-office-application/begin': 'Office 365',
  'register-office-application/check': 'Office 365',
};

const engineNotAvailable = (engine: string) =>
  `The ${engine} engine is not available on this device (the Halley reference agent protects files and folders only)`;

const MAX_LISTED = 5000;
/** An answer is one websocket frame (MAX_FRAME_BYTES, 1 MiB): lists are cut to fit well below it. */
const ANSWER_BYTES = 900_000;

function fitFrame<T>(items: T[], budget = { bytes: ANSWER_BYTES }): T[] {
  for (let i = 0; i < items.length; i++) {
    budget.bytes -= Buffer.byteLength(JSON.stringify(items[i])) + 1;
    if (budget.bytes < 0) return items.slice(0, i);
  }
  return items;
}
const seconds = (ms: number) => Math.floor(ms / 1000);
const fail = (message: string): TCommandResult => ({ ok: false, message });

/** The folder structure of a snapshot: every folder's direct children and recursive totals. */
function snapshotTree(s: Snapshot) {
  const dirs = new Map<string, { dirs: Set<string>; files: SnapshotFile[]; f: number; b: number; d: number }>();
  const dir = (p: string) => {
    let d = dirs.get(p);
    if (!d) dirs.set(p, (d = { dirs: new Set(), files: [], f: 0, b: 0, d: 0 }));
    return d;
  };
  const parent = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  dir('');
  for (const d of s.dirs) {
    dir(d);
    dir(parent(d)).dirs.add(d);
    for (let p = parent(d); ; p = parent(p)) {
      dir(p).d += 1;
      if (p === '') break;
    }
  }
  for (const f of s.files) {
    dir(parent(f.path)).files.push(f);
    for (let p = parent(f.path); ; p = parent(p)) {
      const x = dir(p);
      x.f += 1;
      x.b += f.size;
      if (p === '') break;
    }
  }
  return dirs;
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

function storedObjects(s: Snapshot, treeId: string): Json[] | null {
  const tree = snapshotTree(s);
  const here = tree.get(treeId);
  if (!here) return null;
  const out: Json[] = [];
  for (const d of [...here.dirs].sort()) {
    const t = tree.get(d)!;
    out.push({ name: baseName(d), mtime: 0, type: 'dir', subtree: d, size: t.b, r: true, f: t.f, b: t.b, d: t.d });
  }
  for (const f of [...here.files].sort((a, b) => a.path.localeCompare(b.path))) out.push({ name: baseName(f.path), mtime: seconds(f.mtime), type: 'file', subtree: '', size: f.size });
  // An answer is one websocket frame (MAX_FRAME_BYTES): a huge folder is listed up to MAX_LISTED entries.
  return fitFrame(out.slice(0, MAX_LISTED));
}

// ---- snapshot search (SearchClause over name, path, type, size, mtime) ----
type Clause = { ClauseType?: string; RuleField?: string; RuleOperator?: string; RuleValue?: string; ClauseChildren?: Clause[] };
type Item = { path: string; name: string; type: string; size: number; mtime: number; mode: number };

function matchRule(c: Clause, item: Item): boolean {
  const op = c.RuleOperator ?? '';
  const field = c.RuleField ?? '';
  const raw = field === 'size' || field === 'mtime' ? String(item[field]) : String((item as Json)[field] ?? '');
  const want = c.RuleValue ?? '';
  if (op.startsWith('int_')) {
    const a = Number(raw);
    const b = Number(want);
    if (!Number.isFinite(b)) return false;
    return { int_eq: a === b, int_neq: a !== b, int_gt: a > b, int_gte: a >= b, int_lt: a < b, int_lte: a <= b }[op] ?? false;
  }
  if (op.startsWith('bool_')) return (raw === 'true') === (want === 'true' || want === '1') ? op === 'bool_is' : op === 'bool_nis';
  const ci = op.endsWith('_ci');
  const base = ci ? op.slice(0, -3) : op;
  const neg = /^str_n(eq|contains|startswith|endswith|regexmatch)$/.test(base);
  const kind = neg ? `str_${base.slice(5)}` : base;
  const a = ci ? raw.toLowerCase() : raw;
  const b = ci ? want.toLowerCase() : want;
  let hit: boolean;
  switch (kind) {
    case 'str_eq':
      hit = a === b;
      break;
    case 'str_contains':
      hit = a.includes(b);
      break;
    case 'str_startswith':
      hit = a.startsWith(b);
      break;
    case 'str_endswith':
      hit = a.endsWith(b);
      break;
    case 'str_regexmatch':
      hit = new RegExp(want).test(raw);
      break;
    default:
      throw new Error(`Unknown RuleOperator '${op}'`);
  }
  return neg ? !hit : hit;
}

function matchClause(c: Clause, item: Item): boolean {
  switch (c.ClauseType ?? '') {
    case '':
      return matchRule(c, item);
    case 'and':
      return (c.ClauseChildren ?? []).every((x) => matchClause(x, item));
    case 'or':
      return (c.ClauseChildren ?? []).some((x) => matchClause(x, item));
    case 'not_and':
      return !(c.ClauseChildren ?? []).every((x) => matchClause(x, item));
    case 'not_or':
      return !(c.ClauseChildren ?? []).some((x) => matchClause(x, item));
    default:
      throw new Error(`Unknown ClauseType '${c.ClauseType}'`);
  }
}

function searchSnapshot(s: Snapshot, filter: Clause): Json[] {
  const items: Item[] = [
    ...s.dirs.map((d) => ({ path: d, name: baseName(d), type: 'dir', size: 0, mtime: 0, mode: 0o755 })),
    ...s.files.map((f) => ({ path: f.path, name: baseName(f.path), type: 'file', size: f.size, mtime: seconds(f.mtime), mode: f.mode })),
  ];
  return items
    .filter((i) => matchClause(filter, i))
    .slice(0, MAX_LISTED)
    .map((i) => ({ path: i.path, name: i.name, type: i.type, mode: `0${(i.mode & 0o777).toString(8)}`, mtime: String(i.mtime), atime: '', ctime: '', size: i.size }));
}

// ---- the device's own disk and disks ----
function filesystemObjects(dir: string): TCommandResult {
  if (dir === '') return { ok: true, message: 'OK', data: { StoredObjects: [{ name: '/', mtime: 0, type: 'dir', subtree: '', size: 0 }] } };
  if (!path.isAbsolute(dir)) return fail(`The path ${dir} is not absolute`);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    return fail(`Cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const out: Json[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name)).slice(0, MAX_LISTED)) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(path.join(dir, e.name));
    } catch {
      continue;
    }
    const type = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : st.isFIFO() ? 'fifo' : st.isSocket() ? 'socket' : st.isBlockDevice() ? 'dev' : 'chardev';
    out.push({ name: e.name, mtime: seconds(st.mtimeMs), type, subtree: '', size: st.isFile() ? st.size : 0 });
  }
  return { ok: true, message: entries.length > MAX_LISTED ? `The first ${MAX_LISTED} of ${entries.length} entries` : 'OK', data: { StoredObjects: fitFrame(out) } };
}

const readSys = (p: string) => {
  try {
    return fs.readFileSync(p, 'utf8').trim();
  } catch {
    return '';
  }
};

/** Block devices from /sys/block (Linux), with partitions, mount points and used space. */
function diskDrives(sysBlock = '/sys/block'): TCommandResult {
  if (process.platform !== 'linux') return fail(`Listing disk drives is not supported on ${process.platform} by this device`);
  let names: string[];
  try {
    names = fs.readdirSync(sysBlock);
  } catch (err) {
    return fail(`Cannot read ${sysBlock}: ${(err as Error).message}`);
  }
  const mounts = new Map<string, Array<{ at: string; fs: string }>>();
  for (const line of readSys('/proc/mounts').split('\n')) {
    const [dev, at, type] = line.split(' ');
    if (!dev?.startsWith('/dev/')) continue;
    mounts.set(dev, [...(mounts.get(dev) ?? []), { at: at.replace(/\\040/g, ' '), fs: type }]);
  }
  const used = (at: string | undefined) => {
    if (!at) return 0;
    try {
      const s = fs.statfsSync(at);
      return (s.blocks - s.bfree) * s.bsize;
    } catch {
      return 0;
    }
  };
  const disks: Json[] = [];
  for (const name of names.sort()) {
    if (/^(loop|ram|zram|nbd)\d*/.test(name)) continue;
    const base = path.join(sysBlock, name);
    const sectors = Number(readSys(path.join(base, 'size'))) || 0;
    if (sectors === 0) continue;
    const sectorSize = Number(readSys(path.join(base, 'queue', 'logical_block_size'))) || 512;
    const model = readSys(path.join(base, 'device', 'model'));
    const partitions: Json[] = [];
    for (const part of fs.readdirSync(base).sort()) {
      if (!fs.existsSync(path.join(base, part, 'partition'))) continue;
      const dev = `/dev/${part}`;
      const m = mounts.get(dev) ?? [];
      const size = (Number(readSys(path.join(base, part, 'size'))) || 0) * 512;
      partitions.push({
        DeviceName: dev,
        PartitionOffset: (Number(readSys(path.join(base, part, 'start'))) || 0) * 512,
        Filesystem: m[0]?.fs ?? '',
        MountPoints: m.map((x) => x.at),
        Size: size,
        UsedSize: used(m[0]?.at),
      });
    }
    const whole = mounts.get(`/dev/${name}`) ?? [];
    if (whole.length) partitions.unshift({ DeviceName: `/dev/${name}`, Filesystem: whole[0].fs, MountPoints: whole.map((x) => x.at), Size: sectors * 512, UsedSize: used(whole[0].at) });
    disks.push({
      ID: `/dev/${name}`,
      DeviceName: `/dev/${name}`,
      Caption: model || name,
      Model: model,
      SerialNumber: readSys(path.join(base, 'device', 'serial')),
      Size: sectors * 512,
      Partitions: partitions,
      SectorSize: sectorSize,
    });
  }
  return { ok: true, message: 'OK', data: { Disks: disks } };
}

// ---- custom restore options ----
type RestoreOptions = { Type?: number; OverwriteExistingFiles?: boolean; OverwriteIfNewer?: boolean; OverwriteIfDifferentContent?: boolean; DestIsOriginalLocation?: boolean; DestPath?: string; ExactDestPaths?: string[] };

/** Where to restore and which existing files to keep, from RestoreJobAdvancedOptions; a string is a refusal. */
function restorePlan(o: RestoreOptions, snapshot: Snapshot): string | { target: string; keepExisting: (full: string, f: SnapshotFile) => boolean } {
  if ((o.Type ?? 0) !== 0) return `Restore type ${o.Type} is not available on this device (files and folders only: RESTORETYPE_FILE)`;
  if (o.ExactDestPaths?.length) return 'ExactDestPaths is not supported by this device: restore into one folder (DestPath)';
  let target: string;
  if (o.DestIsOriginalLocation) {
    if (snapshot.roots.length === 1) target = snapshot.roots[0];
    else {
      const parents = new Set(snapshot.roots.map((r) => path.dirname(r)));
      if (parents.size !== 1) return 'The folders of this snapshot have different parents: restore into a folder (DestPath)';
      target = [...parents][0];
    }
  } else target = o.DestPath ?? '';
  if (!target || !path.isAbsolute(target)) return `The restore destination ${target || '(empty)'} is not an absolute path on this device`;
  const keepExisting = (full: string, f: SnapshotFile) => {
    if (!o.OverwriteExistingFiles) return true;
    const st = fs.statSync(full);
    if (o.OverwriteIfNewer && f.mtime <= Math.floor(st.mtimeMs)) return true;
    // "Different content" judged by size and modification time, as file-sync tools do.
    if (o.OverwriteIfDifferentContent && st.size === f.size && Math.floor(st.mtimeMs) === f.mtime) return true;
    return false;
  };
  return { target, keepExisting };
}

export class AgentDispatcher {
  constructor(private readonly host: DispatcherHost) {}

  private started(jobId: string, work: Promise<number>, message = 'Started'): TCommandResult {
    work.catch((err) => this.host.log(`job ${jobId} failed: ${(err as Error).message}`));
    return { ok: true, message, data: { JobID: jobId } };
  }

  private async snapshot(destination: string, id: string): Promise<{ vault: Vault; snapshot: Snapshot } | string> {
    const vault = await this.host.vault(destination);
    const snapshot = (await vault.listSnapshots()).find((s) => s.id === id);
    return snapshot ? { vault, snapshot } : `Snapshot ${id} was not found in storage vault ${destination}`;
  }

  async request(cmd: Extract<TCommand, { type: 'request' }>): Promise<TCommandResult> {
    const a = cmd.args as Json;
    if (ENGINES[cmd.op]) return fail(engineNotAvailable(ENGINES[cmd.op]));
    switch (cmd.op) {
      case 'request-filesystem-objects':
        return filesystemObjects(String(a.Path ?? ''));
      case 'request-browse-disk-drives':
        return diskDrives();
      case 'test-smb-auth':
        return fail(`Testing SMB credentials is not supported on ${process.platform === 'linux' ? 'Linux' : process.platform}: this device has no Windows SMB client`);
      case 'request-import-sources':
        // Comet imports settings of other backup products installed on the device; this agent finds none it can read.
        return { ok: true, message: 'No importable backup software was found on this device', data: { ImportSources: {} } };
      case 'request-vault-snapshots': {
        await this.host.refetchProfile();
        const vault = await this.host.vault(String(a.Destination));
        const snapshots = await vault.listSnapshots();
        return {
          ok: true,
          message: 'OK',
          data: { Snapshots: fitFrame(snapshots.map((s) => ({ Snapshot: s.id, EngineType: 'engine1/file', Source: s.sourceGuid, CreateTime: s.time, HasOriginalPathInfo: true }))) },
        };
      }
      case 'request-stored-objects': {
        if ((a.Options as Json | undefined)?.Enabled) return fail(engineNotAvailable('virtual disk (VMDK) view'));
        await this.host.refetchProfile();
        const found = await this.snapshot(String(a.Destination), String(a.SnapshotID));
        if (typeof found === 'string') return fail(found);
        const objects = storedObjects(found.snapshot, String(a.TreeID ?? ''));
        if (!objects) return fail(`Folder ${String(a.TreeID).slice(0, 200)} was not found in snapshot ${found.snapshot.id}`);
        return { ok: true, message: 'OK', data: { StoredObjects: objects } };
      }
      case 'search-snapshots': {
        await this.host.refetchProfile();
        const vault = await this.host.vault(String(a.DestinationID));
        const all = await vault.listSnapshots();
        const out: Record<string, Json[]> = {};
        let budget = MAX_LISTED;
        const bytes = { bytes: ANSWER_BYTES };
        for (const id of a.SnapshotIDs as string[]) {
          const s = all.find((x) => x.id === id);
          if (!s) return fail(`Snapshot ${id} was not found in storage vault ${a.DestinationID}`);
          // One answer frame for every snapshot: at most MAX_LISTED matches in all.
          out[id] = fitFrame(searchSnapshot(s, a.Filter as Clause).slice(0, budget), bytes);
          budget -= out[id].length;
        }
        return { ok: true, message: 'OK', data: { SnapshotFiles: out } };
      }
      default:
        return fail(`Unsupported command ${cmd.op}`);
    }
  }

  private job(jobId: string, classification: number, destination: string, work: (reporter: JobReporter) => Promise<JobOutcome>, sourceGuid = '') {
    return this.host.jobs.run(this.host.client(), { jobId, classification, destinationGuid: destination, sourceGuid, clientVersion: this.host.version }, work);
  }

  async vaultJob(cmd: Extract<TCommand, { type: 'vault-job' }>): Promise<TCommandResult> {
    await this.host.refetchProfile();
    const vault = await this.host.vault(cmd.destination);
    const measured = async () => ({ Size: await vault.size(), MeasureStarted: seconds(Date.now()), MeasureCompleted: seconds(Date.now()) });
    switch (cmd.op) {
      case 'delete-snapshots': {
        const existing = new Set((await vault.listSnapshots()).map((s) => s.id));
        const missing = cmd.snapshots.filter((id) => !existing.has(id));
        if (missing.length) return fail(`Snapshot ${missing[0]} was not found in storage vault ${cmd.destination}`);
        // The snapshots are gone when the command answers; freeing their data is the job.
        for (const id of cmd.snapshots) await vault.deleteSnapshot(id);
        const work = this.job(cmd.jobId, JobClassification.JOB_CLASSIFICATION_DELETE_CUSTOM, cmd.destination, async (reporter) => {
          const before = await measured();
          reporter.log('I', `Deleted ${cmd.snapshots.length} snapshot(s): ${cmd.snapshots.join(', ')}`);
          const removed = await vault.collectGarbage();
          reporter.log('I', `Removed ${removed} chunks no snapshot uses any more`);
          return { stats: { DestinationSizeStart: before, DestinationSizeEnd: await measured() } };
        });
        return this.started(cmd.jobId, work, `Deleted ${cmd.snapshots.length} snapshot(s)`);
      }
      case 'deepverify':
        return this.started(
          cmd.jobId,
          this.job(cmd.jobId, JobClassification.JOB_CLASSIFICATION_DEEPVERIFY, cmd.destination, async (reporter) => {
            const snapshots = await vault.listSnapshots();
            const chunks = new Set<string>();
            let files = 0;
            for (const s of snapshots) for (const f of s.files) {
              files += 1;
              for (const c of f.chunks) chunks.add(c);
            }
            reporter.log('I', `Verifying ${chunks.size} chunks of ${snapshots.length} snapshots`);
            let bad = 0;
            let read = 0;
            let done = 0;
            for (const id of chunks) {
              if (reporter.cancelled()) throw new CancelledError();
              try {
                read += await vault.verifyChunk(id);
              } catch (err) {
                bad += 1;
                if (bad <= 100) reporter.log('E', (err as Error).message);
              }
              done += 1;
              if (done % 50 === 0) reporter.progress({ TotalChunks: done, DownloadSize: read, Progress: { ItemsDone: done, ItemsTotal: chunks.size } });
            }
            reporter.log(bad ? 'E' : 'I', bad ? `${bad} of ${chunks.size} chunks are damaged or missing` : `All ${chunks.size} chunks are intact`);
            return { status: bad ? JobStatus.JOB_STATUS_FAILED_ERROR : undefined, stats: { TotalFiles: files, TotalChunks: chunks.size, DownloadSize: read } };
          }),
        );
      case 'reindex':
        return this.started(
          cmd.jobId,
          this.job(cmd.jobId, JobClassification.JOB_CLASSIFICATION_REINDEX, cmd.destination, async (reporter) => {
            const before = await measured();
            const snapshots = await vault.listSnapshots();
            const chunks = new Set<string>();
            for (const s of snapshots) for (const f of s.files) for (const c of f.chunks) chunks.add(c);
            let missing = 0;
            for (const id of chunks) if (!(await vault.hasChunk(id))) missing += 1;
            reporter.log('I', `Re-read ${snapshots.length} snapshot indexes referring to ${chunks.size} chunks`);
            if (missing) reporter.log('E', `${missing} chunks the indexes refer to are missing`);
            return { status: missing ? JobStatus.JOB_STATUS_FAILED_ERROR : undefined, stats: { TotalChunks: chunks.size, DestinationSizeStart: before, DestinationSizeEnd: await measured() } };
          }),
        );
      case 'unlock':
        return this.started(
          cmd.jobId,
          this.job(cmd.jobId, JobClassification.JOB_CLASSIFICATION_UNLOCK, cmd.destination, async (reporter) => {
            // This vault format takes no locks; what an interrupted writer leaves behind are temporary objects
            // (<key>.<pid>.tmp). Those of a process still running are kept unless AllowUnsafe.
            let removed = 0;
            let kept = 0;
            for await (const key of vault.store.temporaries?.() ?? []) {
              const m = /\.(\d+)\.tmp$/.exec(key);
              if (!m) continue;
              if (!cmd.allowUnsafe && processAlive(Number(m[1]))) {
                kept += 1;
                continue;
              }
              await vault.store.delete(key);
              removed += 1;
            }
            reporter.log('I', `Removed ${removed} leftover temporary objects${kept ? `; kept ${kept} of running processes (AllowUnsafe removes them)` : ''}`);
            return { stats: {} };
          }),
        );
    }
  }

  async restoreCustom(cmd: Extract<TCommand, { type: 'run-restore-custom' }>): Promise<TCommandResult> {
    await this.host.refetchProfile();
    const vault = await this.host.vault(cmd.destination);
    const snapshots = (await vault.listSnapshots()).filter((s) => s.sourceGuid === cmd.source);
    const snapshot = cmd.snapshot ? snapshots.find((s) => s.id === cmd.snapshot) : snapshots.at(-1);
    if (!snapshot) return fail(cmd.snapshot ? `Snapshot ${cmd.snapshot} of protected item ${cmd.source} was not found` : 'This protected item has no snapshot in the vault');
    const plan = restorePlan(cmd.options as RestoreOptions, snapshot);
    if (typeof plan === 'string') return fail(plan);
    const work = this.job(
      cmd.jobId,
      JobClassification.JOB_CLASSIFICATION_RESTORE,
      cmd.destination,
      async (reporter) => {
        const stats = await restoreSnapshot({ vault, snapshot, target: plan.target, paths: cmd.paths, reporter, keepExisting: plan.keepExisting });
        return { stats: { ...stats, SnapshotID: snapshot.id } };
      },
      cmd.source,
    );
    return this.started(cmd.jobId, work);
  }

  /** The account's password changed: vault keys this device can open are wrapped with the new one. */
  async updateLoginPassword(password: string): Promise<TCommandResult> {
    await this.host.refetchProfile().catch(() => undefined);
    const old = this.host.password();
    let rewrapped = 0;
    const failed: string[] = [];
    if (old !== undefined && old !== password) {
      for (const id of Object.keys((this.host.profile().Destinations ?? {}) as Json)) {
        try {
          const vault = await this.host.vault(id);
          await vault.rewrap(password);
          rewrapped += 1;
        } catch {
          failed.push(id);
        }
      }
    }
    this.host.setPassword(password);
    return { ok: true, message: `Password updated${rewrapped ? `; ${rewrapped} vault key(s) re-wrapped` : ''}${failed.length ? `; could not open ${failed.join(', ')}` : ''}` };
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
