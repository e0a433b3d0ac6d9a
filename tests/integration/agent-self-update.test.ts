// The reference agent's self-update (issue 15 §1): a real agent process, installed with install.sh from a
// package this server generated (rewritten to an older version, so the server's build is the newer one) and
// run under the launcher, is told to update (admin/dispatcher/update-software): it downloads the build with
// its device token, verifies it, swaps `current`, restarts and reconnects advertising the new version. A
// corrupted download changes nothing and the command fails with the reason; a build that does not start
// is rolled back by the launcher and the previous version reconnects. Each failure is reported to the server
// (update.failed with its step), which writes an event for the device.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_VERSION } from '../../lib/client-builds/client-version';
import { installOlderAgent, repack, serverPackage, unpack, type InstalledAgent } from '../helpers/agent-package';
import { makeTenant, makeUser, type TenantFixture } from '../helpers/fixtures';
import { sql } from '../helpers/security';
import { waitFor } from '../helpers/live';

const OLD_VERSION = '25.9.5';
let t: TenantFixture;
let user: { username: string; password: string };
let prefix: string;
let agent: InstalledAgent | undefined;
let fakeServer: http.Server | undefined;
let fakeReply: { bytes: Buffer; headers: Record<string, string> } = { bytes: Buffer.alloc(0), headers: {} };

/** The update failures the device reported (events 14506), oldest first. */
async function reportedFailures(): Promise<Array<{ tenantId: string; data: { Stage: string; Reason: string; Version: string; Username: string } }>> {
  return sql('SELECT "tenantId", data FROM "Event" WHERE type = 14506 AND data->>\'Username\' = $1 ORDER BY id', [user.username]);
}

async function liveDevice(): Promise<{ id: string; version: string } | undefined> {
  const map = (await t.admin.ok('/api/v1/admin/dispatcher/list-active')) as Record<string, { Username: string; ReportedVersion: string }>;
  const found = Object.entries(map).find(([, c]) => c.Username === user.username);
  return found ? { id: found[0], version: found[1].ReportedVersion } : undefined;
}

beforeAll(async () => {
  t = await makeTenant('self-update');
  user = await makeUser(t.admin);
  // An older build of the same agent, installed the way an operator would (dependencies provided here).
  agent = await installOlderAgent(t, user, OLD_VERSION, { name: 'updating box', env: { HALLEY_AGENT_UPDATE_CONFIRM_SECONDS: '60' } });
  prefix = agent.prefix;
  // A download mirror the tests control (update-software's SelfAddress can name any server).
  fakeServer = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(fakeReply.bytes.length), ...fakeReply.headers });
      res.end(fakeReply.bytes);
    });
  });
  await new Promise<void>((resolve) => fakeServer!.listen(0, '127.0.0.1', resolve));
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  fakeServer?.close();
});

describe('agent self-update', () => {
  it('the installed older agent connects advertising its version', async () => {
    const live = await waitFor('the installed agent to connect', async () => (await liveDevice()) ?? undefined, 60_000);
    expect(live.version, agent!.output()).toBe(OLD_VERSION);
  }, 90_000);

  it('updates itself to the server build: verified download, swapped current, restart, reconnects with the new version', async () => {
    const before = (await liveDevice())!;
    const r = await t.admin.ok('/api/v1/admin/dispatcher/update-software', { TargetID: before.id });
    expect(r.Message).toContain(`Installed version ${CLIENT_VERSION}`);
    const after = await waitFor('the agent to come back updated', async () => {
      const live = await liveDevice();
      return live && live.id !== before.id && live.version === CLIENT_VERSION ? live : undefined;
    }, 60_000);
    expect(after.version).toBe(CLIENT_VERSION);
    expect(fs.readlinkSync(path.join(prefix, 'current'))).toBe(`versions/${CLIENT_VERSION}`);
    // Confirmed once welcomed: nothing pending; the previous version stays for a rollback.
    await waitFor('the update to be confirmed', () => !fs.existsSync(path.join(prefix, 'state', 'update-pending')));
    expect(fs.readdirSync(path.join(prefix, 'versions')).sort()).toEqual([OLD_VERSION, CLIENT_VERSION].sort());
    expect(fs.lstatSync(path.join(prefix, 'versions', CLIENT_VERSION, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(agent!.output()).toContain(`update to ${CLIENT_VERSION} confirmed`);
  }, 90_000);

  it('refuses a corrupted download and keeps running its version', async () => {
    const pkg = await serverPackage(t);
    const bytes = Buffer.from(pkg.bytes);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fakeReply = { bytes, headers: { 'x-halley-client-version': pkg.headers.get('x-halley-client-version')!, 'x-halley-client-sha256': pkg.headers.get('x-halley-client-sha256')! } };
    const before = (await liveDevice())!;
    const address = fakeServer!.address() as AddressInfo;
    const r = await t.admin.fails('/api/v1/admin/dispatcher/update-software', { TargetID: before.id, SelfAddress: `http://127.0.0.1:${address.port}/` });
    expect(r.Message).toMatch(/Update failed, still running .*does not match its SHA-256/);
    expect(fs.readlinkSync(path.join(prefix, 'current'))).toBe(`versions/${CLIENT_VERSION}`);
    expect((await liveDevice())!.id).toBe(before.id);
    const [reported] = await waitFor('the failure report', async () => ((await reportedFailures()).length === 1 ? reportedFailures() : undefined));
    expect(reported).toMatchObject({ tenantId: t.id, data: { Stage: 'verify', Version: '', Reason: expect.stringMatching(/does not match its SHA-256/) } });
  }, 60_000);

  it('rolls back a build that does not start: the previous version reconnects', async () => {
    const broken = repack(unpack((await serverPackage(t)).bytes), '25.9.7', (dir) => fs.writeFileSync(path.join(dir, 'agent', 'index.ts'), "console.error('this build cannot start');\nprocess.exit(3);\n"));
    fakeReply = { bytes: broken, headers: { 'x-halley-client-version': '25.9.7', 'x-halley-client-sha256': createHash('sha256').update(broken).digest('hex') } };
    const before = (await liveDevice())!;
    const address = fakeServer!.address() as AddressInfo;
    const r = await t.admin.ok('/api/v1/admin/dispatcher/update-software', { TargetID: before.id, SelfAddress: `http://127.0.0.1:${address.port}/` });
    expect(r.Message).toContain('Installed version 25.9.7');
    const back = await waitFor('the previous version to reconnect', async () => {
      const live = await liveDevice();
      return live && live.id !== before.id ? live : undefined;
    }, 60_000);
    expect(back.version).toBe(CLIENT_VERSION);
    expect(fs.readlinkSync(path.join(prefix, 'current'))).toBe(`versions/${CLIENT_VERSION}`);
    expect(fs.existsSync(path.join(prefix, 'state', 'update-pending'))).toBe(false);
    expect(agent!.output()).toContain('this build cannot start');
    await waitFor('the rollback to be reported', () => agent!.output().includes('The update to 25.9.7 did not come up (exit code 3): rolled back to'));
    // The previous version tells the server why, once it is back.
    const reports = await waitFor('the rollback report', async () => {
      const all = await reportedFailures();
      return all.length === 2 ? all : undefined;
    });
    expect(reports[1]).toMatchObject({ tenantId: t.id, data: { Stage: 'start', Version: '25.9.7', Reason: expect.stringContaining('did not come up (exit code 3)') } });
  }, 90_000);
});
