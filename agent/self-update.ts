// The reference agent's self-update (update-software): an agent installed from a client package runs under
// the launcher install.sh wrote (PREFIX/halley-agent, exporting HALLEY_AGENT_PREFIX), from PREFIX/current ->
// versions/<dir>. On the command it
//   1. downloads the package for its platform from the server (admin/branding/generate-client/linuxgeneric,
//      signed in with its own device token, which it sends to the server it is connected to only),
//   2. verifies it: the size and SHA-256 the server sent (x-halley-client-sha256), the version it was told to
//      install, every file against the package's MANIFEST.sha256 and the version in halley-client.json,
//   3. unpacks it into versions/<version> (the runtime dependencies are shared with the running version when
//      the package names the same ones, otherwise installed with npm),
//   4. records state/update-pending (previous dir, new dir, version), swaps `current` atomically (a new
//      symlink renamed over the old one) and exits with RESTART_EXIT_CODE; the launcher starts `current` again.
// The new version confirms the update once the server welcomed it (update-pending goes, old versions but
// the previous one are removed). If it exits before that, or is not welcomed within the confirmation time
// (HALLEY_AGENT_UPDATE_CONFIRM_SECONDS, default 120), the launcher swaps `current` back, writes
// state/update-failed and starts the previous version, which reconnects with its old version: the server
// (an update campaign) records the update as failed. A download or verification failure changes nothing and
// is the command's answer.
// Every failure is also reported to the server (`update.failed`, with the step: download, verify, start or
// rollback; see failureReport), so a campaign marks the device failed with the reason at once; a server
// that predates the report still learns it from the version the device reconnects with.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { compareVersions } from '../lib/client-builds/client-version';

const run = promisify(execFile);

/** The launcher starts `current` again when the agent exits with this code (after a swap). */
export const RESTART_EXIT_CODE = 75;
/** The new version was not welcomed by the server in time: the launcher rolls back. */
export const UNCONFIRMED_EXIT_CODE = 76;
/** The largest package the agent accepts. */
const MAX_PACKAGE_BYTES = 64 * 1024 * 1024;
const PLATFORM_SLUG = 'linuxgeneric';

/** The step an update failed at: download, verify (size, SHA-256, version, manifest), start (the new version
 * could not be set up or exited before the server welcomed it), rollback (it ran but was not welcomed in time). */
export type UpdateStage = 'download' | 'verify' | 'start' | 'rollback';

/** An update that failed at `stage`. */
export class UpdateFailure extends Error {
  constructor(
    readonly stage: UpdateStage,
    message: string,
  ) {
    super(message);
  }
}

/** Runs `step`, naming `stage` on whatever it throws (the first stage named wins). */
async function atStage<T>(stage: UpdateStage, step: () => Promise<T> | T): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof UpdateFailure) throw err;
    throw new UpdateFailure(stage, (err as Error).message);
  }
}

/**
 * The launcher's note (state/update-failed) as a report: the version it rolled back from, and the stage:
 * `rollback` when the new version gave itself up unconfirmed (UNCONFIRMED_EXIT_CODE), else `start`.
 */
export function failureReport(note: string): { version: string; stage: UpdateStage; reason: string } | null {
  const m = /The update to (\S+) did not come up \(exit code (\d+)\)/.exec(note);
  if (!m) return null;
  const stage: UpdateStage = Number(m[2]) === UNCONFIRMED_EXIT_CODE ? 'rollback' : 'start';
  return { version: m[1].replace(/-r\d+$/, ''), stage, reason: note.trim().slice(0, 2000) };
}

type InstalledAgent = { prefix: string; dir: string; version: string };

/** The installation this process runs from (launcher-started, HALLEY_AGENT_PREFIX), or null from sources. */
export function installedAgent(): InstalledAgent | null {
  const prefix = process.env.HALLEY_AGENT_PREFIX;
  if (!prefix) return null;
  try {
    const dir = fs.realpathSync(path.join(prefix, 'current'));
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'halley-client.json'), 'utf8')) as { Version?: unknown };
    if (typeof config.Version !== 'string' || !config.Version) return null;
    return { prefix: path.resolve(prefix), dir, version: config.Version };
  } catch {
    return null;
  }
}

function stateFile(prefix: string, name: string): string {
  return path.join(prefix, 'state', name);
}

type Pending = { previous: string; next: string; version: string };

export function readPending(prefix: string): Pending | null {
  try {
    const [previous, next, version] = fs.readFileSync(stateFile(prefix, 'update-pending'), 'utf8').split('\n');
    return previous && next ? { previous, next, version: version ?? '' } : null;
  } catch {
    return null;
  }
}

/** What the launcher wrote after it rolled an update back, once (the file is removed). */
export function takeUpdateFailure(prefix: string): string | null {
  const file = stateFile(prefix, 'update-failed');
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    fs.rmSync(file, { force: true });
    return text || null;
  } catch {
    return null;
  }
}

function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every file MANIFEST.sha256 lists has that hash, and no path leaves the package. */
function verifyManifest(dir: string): void {
  const manifest = fs.readFileSync(path.join(dir, 'MANIFEST.sha256'), 'utf8');
  let count = 0;
  for (const line of manifest.split('\n')) {
    if (!line.trim()) continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) throw new Error('the package manifest is malformed');
    const file = path.resolve(dir, m[2]);
    if (!file.startsWith(dir + path.sep)) throw new Error(`the package manifest names a path outside the package: ${m[2]}`);
    if (!fs.existsSync(file) || sha256File(file) !== m[1]) throw new Error(`the package is damaged: ${m[2]} does not match MANIFEST.sha256`);
    count += 1;
  }
  if (!count) throw new Error('the package manifest is empty');
}

function dependencies(dir: string): string {
  try {
    return JSON.stringify((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: unknown }).dependencies ?? {});
  } catch {
    return '';
  }
}

async function download(url: URL, form: URLSearchParams): Promise<{ bytes: Buffer; version: string }> {
  const res = await fetch(url, { method: 'POST', body: form, redirect: 'error', signal: AbortSignal.timeout(120_000) });
  if (!res.ok) {
    const text = (await res.text().catch(() => '')).slice(0, 300);
    let message = text;
    try {
      message = String((JSON.parse(text) as { Message?: unknown }).Message ?? text);
    } catch {
      // not JSON: the text itself
    }
    throw new Error(`the server answered HTTP ${res.status}${message ? `: ${message}` : ''}`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_PACKAGE_BYTES) throw new Error(`the package is too large (${declared} bytes)`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_PACKAGE_BYTES) throw new Error('the package is too large');
    chunks.push(Buffer.from(chunk));
  }
  const bytes = Buffer.concat(chunks);
  if (Number.isFinite(declared) && declared !== bytes.length) throw new Error(`the download is incomplete: ${bytes.length} of ${declared} bytes`);
  const want = (res.headers.get('x-halley-client-sha256') ?? '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(want)) throw new UpdateFailure('verify', 'the server sent no SHA-256 for the package');
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== want) throw new UpdateFailure('verify', `the download does not match its SHA-256 (${got.slice(0, 12)}… instead of ${want.slice(0, 12)}…)`);
  const version = res.headers.get('x-halley-client-version') ?? '';
  if (!/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/.test(version)) throw new Error('the server sent no usable version for the package');
  return { bytes, version };
}

type StagedUpdate = { version: string; previous: string; next: string };

/**
 * Steps 1-3: downloads, verifies and unpacks the package into PREFIX/versions; nothing the running agent
 * uses is touched. Throws with the reason when anything does not check out (the staging folder goes).
 */
export async function stageUpdate({
  installed,
  selfAddress,
  serverUrl,
  deviceToken,
  expectVersion,
  log,
}: {
  installed: InstalledAgent;
  /** Where to download from (update-software's SelfAddress); the agent's server when empty. */
  selfAddress: string;
  serverUrl: string;
  deviceToken?: string;
  /** The version the server asked for (a campaign's target), when it named one. */
  expectVersion?: string;
  log: (msg: string) => void;
}): Promise<StagedUpdate> {
  const base = new URL(selfAddress || serverUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UpdateFailure('download', `cannot download from ${base.protocol} addresses`);
  const url = new URL(`api/v1/admin/branding/generate-client/${PLATFORM_SLUG}`, base.href.endsWith('/') ? base : new URL(`${base.href}/`));
  const form = new URLSearchParams({ SelfAddress: serverUrl });
  // The device token is this device's sign-in: it goes to the server the device belongs to, nowhere else.
  if (deviceToken && base.origin === new URL(serverUrl).origin) form.set('DeviceToken', deviceToken);
  log(`downloading the client package from ${url.origin}`);
  const { bytes, version } = await atStage('download', () => download(url, form));
  if (expectVersion && compareVersions(version, expectVersion) !== 0) throw new UpdateFailure('verify', `the server offers version ${version}, not ${expectVersion}`);
  const versions = path.join(installed.prefix, 'versions');
  const staging = path.join(versions, `.staging-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(staging, { recursive: true });
  try {
    const { unpacked } = await atStage('verify', () => unpackVerified(staging, bytes, version));
    return await atStage('start', () => placeVersion(installed, versions, unpacked, version, log));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Unpacks the package into `staging` and checks its manifest and version. */
async function unpackVerified(staging: string, bytes: Buffer, version: string): Promise<{ unpacked: string }> {
  const archive = path.join(staging, 'package.tar.gz');
  fs.writeFileSync(archive, bytes);
  fs.mkdirSync(path.join(staging, 'x'));
  await run('tar', ['-xzf', archive, '-C', path.join(staging, 'x'), '--no-same-owner', '--no-same-permissions']);
  const top = fs.readdirSync(path.join(staging, 'x'));
  if (top.length !== 1) throw new Error('the package does not hold exactly one folder');
  const unpacked = path.join(staging, 'x', top[0]);
  verifyManifest(unpacked);
  const config = JSON.parse(fs.readFileSync(path.join(unpacked, 'halley-client.json'), 'utf8')) as { Version?: unknown };
  if (config.Version !== version) throw new Error(`the package holds version ${String(config.Version)}, not ${version}`);
  if (!fs.existsSync(path.join(unpacked, 'agent', 'index.ts'))) throw new Error('the package holds no agent');
  return { unpacked };
}

/** Gives the unpacked version its runtime dependencies and moves it to versions/<version>. */
async function placeVersion(installed: InstalledAgent, versions: string, unpacked: string, version: string, log: (msg: string) => void): Promise<StagedUpdate> {
  // The runtime dependencies: the running version's when the package names the same ones.
  const currentModules = path.join(installed.dir, 'node_modules');
  if (fs.existsSync(currentModules) && dependencies(unpacked) === dependencies(installed.dir)) {
    fs.symlinkSync(fs.realpathSync(currentModules), path.join(unpacked, 'node_modules'));
  } else {
    log('installing the runtime dependencies with npm');
    await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: unpacked, timeout: 600_000 });
  }
  const previous = path.basename(installed.dir);
  // Reinstalling the running version goes to a folder of its own: the running one is never overwritten.
  const next = version === previous ? `${version}-r${Date.now()}` : version;
  fs.rmSync(path.join(versions, next), { recursive: true, force: true });
  fs.renameSync(unpacked, path.join(versions, next));
  return { version, previous, next };
}

/** `link` -> `target`, replacing it in one rename (readers see the old or the new link, never none). */
function swapLink(link: string, target: string): void {
  const tmp = `${link}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  fs.symlinkSync(target, tmp);
  fs.renameSync(tmp, link);
}

/** Step 4: records the pending update and points `current` at the new version. */
export function activateUpdate(installed: InstalledAgent, staged: StagedUpdate): void {
  fs.writeFileSync(stateFile(installed.prefix, 'update-pending'), `${staged.previous}\n${staged.next}\n${staged.version}\n`, { mode: 0o600 });
  swapLink(path.join(installed.prefix, 'current'), `versions/${staged.next}`);
}

/**
 * Run by the new version once the server welcomed it: the update is confirmed, and versions other than
 * this one and the one it replaced are removed. Returns the pending update it confirmed, if any.
 */
export function confirmUpdate(installed: InstalledAgent): Pending | null {
  const pending = readPending(installed.prefix);
  if (!pending || pending.next !== path.basename(installed.dir)) return null;
  fs.rmSync(stateFile(installed.prefix, 'update-pending'), { force: true });
  const versions = path.join(installed.prefix, 'versions');
  for (const name of fs.readdirSync(versions)) {
    if (name === pending.next || name === pending.previous) continue;
    fs.rmSync(path.join(versions, name), { recursive: true, force: true });
  }
  return pending;
}

/** How long a freshly updated agent waits for the server's welcome before it gives up (and is rolled back). */
export function confirmDeadlineMs(): number {
  const s = Number(process.env.HALLEY_AGENT_UPDATE_CONFIRM_SECONDS ?? '120');
  return Number.isFinite(s) && s > 0 ? s * 1000 : 120_000;
}
