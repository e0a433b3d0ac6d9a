// A device installed unattended with an install token (issue 15 §1) backs up end to end: the token was made
// with the account password, which travels sealed with it and reaches the device that spends it (welcome
// vaultPassword), so the device unlocks its storage vault's key like a device signed in with the password.
// The sealed copy is cleared when the token is spent; the device keeps the password in its 0600 state file and
// still backs up after a restart; a device that restores with the account password reads the same vault.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentDevice } from '../../agent/device';
import { closeDb, db } from '../../lib/db/client';
import { keyedDigest } from '../../lib/secrets';
import { makeTenant, makeUser, uniq, type TenantFixture } from '../helpers/fixtures';
import { finishedJob, liveConnectionId, makeSourceTree, setUpBackupProfile, startAgent, tempDir, waitFor, type LiveAccount } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

let t: TenantFixture;
let account: LiveAccount;
const agents: AgentDevice[] = [];

beforeAll(async () => {
  t = await makeTenant('token-backup');
  const user = await makeUser(t.admin);
  account = await setUpBackupProfile(t.admin, user);
  makeSourceTree(account.sourceDir);
});

afterAll(async () => {
  for (const a of agents) a.stop();
  await closeDb();
});

function tokenDevice(stateDir: string, installToken?: string): AgentDevice {
  const device = new AgentDevice({ url: halleyUrl(), username: '', installToken, stateDir, friendlyName: uniq('unattended'), backoff: { baseMs: 200, maxMs: 2000 } });
  agents.push(device);
  device.start();
  return device;
}

describe('install-token devices and vault keys', () => {
  it('backs up with the vault password the install token brought, also after a restart', async () => {
    const { InstallToken } = await t.admin.ok('/api/v1/admin/create-install-token', { TargetUser: account.username, TargetPassword: account.password });
    // tenancy: system — test check of the stored row
    const stored = await db().installToken.findUnique({ where: { tokenDigest: keyedDigest(InstallToken.Token) }, select: { sealedPassword: true } });
    expect(stored?.sealedPassword).toBeTruthy();
    expect(stored!.sealedPassword).not.toContain(account.password);

    const stateDir = tempDir('token-backup-agent');
    const device = tokenDevice(stateDir, InstallToken.Token);
    const conn = await liveConnectionId(t.admin, device.state.deviceId);
    const r = await t.admin.ok('/api/v1/admin/dispatcher/run-backup', { TargetID: conn, BackupRule: account.rule });
    const job = await finishedJob(t.admin, r.JobID);
    expect(job.Status, JSON.stringify(job)).toBe(5000);
    expect(job.TotalFiles).toBe(4);

    // Spent: the sealed password is gone from the server; the device keeps it in its own state file.
    // tenancy: system — test check of the stored row
    const spent = await db().installToken.findUnique({ where: { tokenDigest: keyedDigest(InstallToken.Token) }, select: { sealedPassword: true, usedAt: true } });
    expect(spent).toMatchObject({ sealedPassword: null });
    expect(spent!.usedAt).not.toBeNull();
    const stateFile = path.join(stateDir, 'agent-state.json');
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).vaultPassword).toBe(account.password);
    expect(fs.statSync(stateFile).mode & 0o077).toBe(0);

    // A restart (no install token, no password given) signs in with the device token and backs up again.
    device.stop();
    const again = tokenDevice(stateDir);
    const conn2 = await liveConnectionId(t.admin, again.state.deviceId, conn);
    const r2 = await t.admin.ok('/api/v1/admin/dispatcher/run-backup', { TargetID: conn2, BackupRule: account.rule });
    expect((await finishedJob(t.admin, r2.JobID)).Status).toBe(5000);

    // Another device of the account, signed in with the password, restores what the token device wrote.
    const other = startAgent(halleyUrl(), account);
    agents.push(other);
    const conn3 = await liveConnectionId(t.admin, other.state.deviceId);
    const target = tempDir('token-backup-restore');
    const rr = await t.admin.ok('/api/v1/admin/dispatcher/run-restore', { TargetID: conn3, Path: target, Source: account.item, Destination: account.vault });
    expect((await finishedJob(t.admin, rr.JobID)).Status).toBe(5000);
    const restored = await waitFor('the restored file', () => {
      const found: string[] = [];
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) (e.isDirectory() ? walk(path.join(d, e.name)) : found.push(e.name));
      };
      walk(target);
      return found.includes('readme.txt') ? found : undefined;
    });
    expect(restored).toContain('photo.bin');
  }, 120_000);

  it('a wrong device token cannot download the client build', async () => {
    const form = new URLSearchParams({ DeviceToken: 'v1.bm8.bm8.0000', SelfAddress: halleyUrl() });
    const res = await fetch(new URL('/api/v1/admin/branding/generate-client/linuxgeneric', halleyUrl()), { method: 'POST', body: form });
    expect(res.status).toBe(403);
    expect((await res.json()).Status).toBe(403);
  });
});
