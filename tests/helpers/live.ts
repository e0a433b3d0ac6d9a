// Live-connection fixtures: an account whose profile has a local-path storage vault, a protected item
// (a folder) and a backup rule, reference-agent devices from agent/, and polling helpers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AgentDevice } from '../../agent/device';
import type { CometClient } from './comet-client';
import { uniq } from './fixtures';

import { waitFor } from './wait';

export { waitFor };


export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `halley-${label}-`));
}

/** A folder with a few files (some large enough for several chunks). */
export function makeSourceTree(dir: string): { files: number; bytes: number } {
  fs.mkdirSync(path.join(dir, 'docs', 'deep'), { recursive: true });
  const files: Array<[string, Buffer]> = [
    ['readme.txt', Buffer.from('hello from halley\n'.repeat(100))],
    ['docs/report.bin', randomBytes(700 * 1024)],
    ['docs/deep/photo.bin', randomBytes(300 * 1024)],
    ['docs/empty.txt', Buffer.alloc(0)],
  ];
  let bytes = 0;
  for (const [rel, data] of files) {
    fs.writeFileSync(path.join(dir, rel), data);
    bytes += data.length;
  }
  return { files: files.length, bytes };
}

export type LiveAccount = { username: string; password: string; vault: string; item: string; rule: string; vaultDir: string; sourceDir: string };

/** Gives the user a local-path vault, a folder protected item and a backup rule. */
export async function setUpBackupProfile(admin: CometClient, user: { username: string; password: string }): Promise<LiveAccount> {
  const vaultDir = tempDir('vault');
  const sourceDir = tempDir('source');
  const { Profile, ProfileHash } = await admin.ok('/api/v1/admin/get-user-profile-and-hash', { TargetUser: user.username });
  const vault = uniq('vault');
  const item = uniq('item');
  const rule = uniq('rule');
  Profile.Destinations = { [vault]: { Description: 'Local vault', DestinationType: 1002, LocalcopyPath: vaultDir } };
  Profile.Sources = { [item]: { Engine: 'engine1/file', Description: 'Documents', EngineProps: { INCLUDE0: sourceDir } } };
  Profile.BackupRules = { [rule]: { Description: 'Nightly', Source: item, Destination: vault, Schedules: [] } };
  await admin.ok('/api/v1/admin/set-user-profile-hash', { TargetUser: user.username, ProfileData: Profile, RequireHash: ProfileHash });
  return { ...user, vault, item, rule, vaultDir, sourceDir };
}

export function startAgent(url: string, account: { username: string; password?: string; totp?: string }, opts: { lobby?: boolean; name?: string } = {}): AgentDevice {
  const device = new AgentDevice({
    url,
    username: account.username,
    password: account.password,
    totp: account.totp,
    stateDir: tempDir('agent'),
    friendlyName: opts.name ?? uniq('laptop'),
    lobby: opts.lobby,
    backoff: { baseMs: 200, maxMs: 2000 },
  });
  device.start();
  return device;
}

/** The device's live connection id, once list-active shows it. */
export async function liveConnectionId(admin: CometClient, deviceId: string, notId?: string): Promise<string> {
  return waitFor(`device ${deviceId} to be live`, async () => {
    const map = await admin.ok('/api/v1/admin/dispatcher/list-active');
    const found = Object.entries(map as Record<string, { DeviceID: string }>).find(([id, c]) => c.DeviceID === deviceId && id !== notId);
    return found?.[0];
  });
}

export async function finishedJob(admin: CometClient, jobId: string): Promise<any> {
  return waitFor(`job ${jobId} to finish`, async () => {
    const r = await admin.call('/api/v1/admin/get-job-properties', { JobID: jobId });
    return r.body?.EndTime > 0 ? r.body : undefined;
  });
}
