// News reaches connected devices (issue 18, Done-when: "a news item reaches a connected agent"): a tenant
// admin's admin/news/submit is pushed by the workers through the live relay to every connected device of
// that organization (the `news` device command), a real reference agent process stores it (news.json in its
// state directory), logs it and shows it (`agent --news`); an agent that was offline gets what it missed —
// new items and removals — right after it connects again; another organization's agent gets nothing of it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readNews } from '../../agent/news-store';
import type { AgentDevice } from '../../agent/device';
import { makeTenant, makeUser, uniq, type TenantFixture } from '../helpers/fixtures';
import { liveConnectionId, startAgent, tempDir, waitFor } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

const repo = path.resolve(__dirname, '../..');
const tsx = path.join(repo, 'node_modules', '.bin', 'tsx');

let t: TenantFixture;
let other: TenantFixture;
let user: { username: string; password: string };
let stateDir: string;
let proc: ChildProcess | undefined;
let output = '';
let otherAgent: AgentDevice | undefined;

function startAgentProcess(): ChildProcess {
  const child = spawn(tsx, ['agent/index.ts', '--url', halleyUrl(), '--username', user.username, '--state-dir', stateDir, '--name', 'NEWS-PC'], {
    cwd: repo,
    env: { ...process.env, HALLEY_AGENT_PASSWORD: user.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  return child;
}

async function stopAgentProcess(): Promise<void> {
  const child = proc;
  proc = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const deviceId = () => (JSON.parse(fs.readFileSync(path.join(stateDir, 'agent-state.json'), 'utf8')) as { deviceId: string }).deviceId;
const texts = () => readNews(stateDir).map((i) => i.text);
const idOf = async (admin: TenantFixture['admin'], text: string) =>
  Object.entries((await admin.ok('/api/v1/admin/news/get-all')) as Record<string, { TextContent: string }>).find(([, e]) => e.TextContent === text)![0];

beforeAll(async () => {
  t = await makeTenant('news-agent');
  other = await makeTenant('news-agent-other');
  user = await makeUser(t.admin, { password: 'Correct-Horse-42' });
  stateDir = tempDir('news-agent');
}, 60_000);

afterAll(async () => {
  await stopAgentProcess();
  otherAgent?.stop();
});

it('pushes a news item to a connected agent, which stores, logs and shows it; other organizations get nothing', { timeout: 240_000 }, async () => {
  // An item from before the agent's first connection arrives right after its welcome.
  const before = uniq('Welcome to backups by Example MSP');
  await t.admin.ok('/api/v1/admin/news/submit', { NewsContent: before });
  proc = startAgentProcess();
  await waitFor('the agent process to sign in', () => fs.existsSync(path.join(stateDir, 'agent-state.json')) && output.includes('connected to'), 90_000);
  await liveConnectionId(t.admin, deviceId());
  await waitFor('the earlier item on the agent', () => texts().includes(before), 30_000);

  // Another organization's connected agent.
  const otherUser = await makeUser(other.admin, { password: 'Correct-Horse-42' });
  otherAgent = startAgent(halleyUrl(), otherUser);
  await liveConnectionId(other.admin, otherAgent.state.deviceId);

  // Live: submitted while connected, pushed by the workers through the relay.
  const live = uniq('Maintenance window Saturday 02:00 https://status.example.com');
  await t.admin.ok('/api/v1/admin/news/submit', { NewsContent: live });
  await waitFor('the live item on the agent', () => texts().includes(live), 30_000);
  expect(texts()).toEqual([live, before]); // newest first
  await waitFor('the agent to log the item', () => output.includes(live));
  const otherNews = uniq('Other MSP news');
  await other.admin.ok('/api/v1/admin/news/submit', { NewsContent: otherNews });
  await waitFor("the other organization's item on its own agent", () => readNews(otherAgent!.opts.stateDir).some((i) => i.text === otherNews), 30_000);
  expect(readNews(otherAgent.opts.stateDir).map((i) => i.text)).toEqual([otherNews]);
  expect(texts()).not.toContain(otherNews);

  // Removed while connected: gone from the agent too.
  const gone = uniq('Posted by mistake');
  await t.admin.ok('/api/v1/admin/news/submit', { NewsContent: gone });
  await waitFor('the mistaken item on the agent', () => texts().includes(gone), 30_000);
  await t.admin.ok('/api/v1/admin/news/remove', { NewsItem: await idOf(t.admin, gone) });
  await waitFor('the removal on the agent', () => !texts().includes(gone), 30_000);

  // Bad input reaches nobody.
  expect((await t.admin.fails('/api/v1/admin/news/submit', { NewsContent: '   ' })).Status).toBe(400);
  expect(texts()).toEqual([live, before]);
});

it('gives an agent that was offline what it missed (new items and removals) when it connects again, and shows them', { timeout: 300_000 }, async () => {
  await stopAgentProcess();
  await waitFor('the device to be offline', async () => {
    const map = (await t.admin.ok('/api/v1/admin/dispatcher/list-active')) as Record<string, { DeviceID: string }>;
    return !Object.values(map).some((c) => c.DeviceID === deviceId());
  });
  const [live, before] = texts();
  // DateTime has whole seconds (Comet's field): `missed` may well be submitted in the same second as `live`. It
  // is still the newer one, so the agent must list it first (the server's creation order, the agent's receipt).
  await t.admin.ok('/api/v1/admin/news/remove', { NewsItem: await idOf(t.admin, before) });
  const missed = uniq('New retention policy from Monday');
  await t.admin.ok('/api/v1/admin/news/submit', { NewsContent: missed });
  expect(texts()).toEqual([live, before]); // offline: unchanged

  output = '';
  proc = startAgentProcess();
  // Two waits, so a failure says which part was slow: a new agent process starting (tsx compiles it first, which
  // takes long on a loaded 2-core machine) and signing in, then the catch-up that follows the welcome.
  await waitFor('the agent process to sign in again', () => output.includes('connected to'), 150_000);
  await waitFor('the agent to catch up', () => JSON.stringify(texts()) === JSON.stringify([missed, live]), 30_000);

  // `agent --news` shows them without a connection, newest first.
  const shown = spawnSync(tsx, ['agent/index.ts', '--news', '--state-dir', stateDir], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  expect(shown.status).toBe(0);
  expect(shown.stdout.indexOf(missed)).toBeGreaterThanOrEqual(0);
  expect(shown.stdout.indexOf(missed)).toBeLessThan(shown.stdout.indexOf(live));
  expect(shown.stdout).not.toContain(before);
});
