// The relay's batched command (relay.commandMany, issue 15: an update campaign sends one relay message per web
// node and chunk instead of one per device). This test process is a node of its own, like a workers process:
// the batch crosses Redis to the web node that holds the sockets, each device gets its frame and answers, and
// the answers come back a few hundred per message. Connections the web node does not hold, and a node that
// does not exist, are answered "not connected" without waiting for the time-out.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulatedDevices, type SimulatedDevice } from '../../agent/simulated';
import type { TCommandResult } from '../../lib/live/protocol';
import { DeviceUnreachableError, relay, type ConnInfo } from '../../lib/live/relay';
import { makeTenant, makeUser, rootClient } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const DEVICES = 3;
const fleet: SimulatedDevice[] = [];
let conns: ConnInfo[] = [];

beforeAll(async () => {
  const root = await rootClient();
  const tenant = await makeTenant('relay-batch');
  const user = await makeUser(root, { targetOrganization: tenant.id, password: 'Correct-Horse-42' });
  fleet.push(...(await startSimulatedDevices({ url: halleyUrl(), ...user, count: DEVICES, prefix: `relay-${randomUUID().slice(0, 8)}`, backoff: { baseMs: 100, maxMs: 1000 } })));
  const ids = new Set(fleet.map((d) => d.deviceId));
  await waitFor('the devices listed by the relay', async () => {
    conns = (await relay().listConnections()).filter((c) => ids.has(c.deviceId));
    return conns.length === DEVICES;
  });
});

afterAll(async () => {
  for (const d of fleet) d.stop();
  await relay().stop();
});

it('sends one command to many connections of another node and collects every answer', { timeout: 60_000 }, async () => {
  const node = conns[0].node;
  expect(node).not.toBe(relay().nodeId);
  // More missing connections than one answer message holds, so the answers come back in several messages.
  const missing = Array.from({ length: 250 }, () => ({ connectionId: randomUUID(), node }));
  const nowhere = { connectionId: randomUUID(), node: randomUUID() };
  const targets = [...conns, ...missing, nowhere];
  const answers = new Map<string, Array<TCommandResult | Error>>();
  const t0 = Date.now();
  await relay().commandMany(targets, { type: 'refetch-profile' }, 20_000, (t, answer) => answers.set(t.connectionId, [...(answers.get(t.connectionId) ?? []), answer]));
  // Nothing waited for the time-out.
  expect(Date.now() - t0).toBeLessThan(15_000);
  expect(answers.size).toBe(targets.length);
  for (const list of answers.values()) expect(list).toHaveLength(1);
  for (const c of conns) expect(answers.get(c.connectionId)![0]).toMatchObject({ ok: true, message: 'Profile reloaded' });
  for (const t of [...missing, nowhere]) {
    const [answer] = answers.get(t.connectionId)!;
    expect(answer).toBeInstanceOf(DeviceUnreachableError);
    expect((answer as Error).message).toBe('not connected');
  }
});

it('answers an empty batch at once', async () => {
  const seen: unknown[] = [];
  await relay().commandMany([], { type: 'refetch-profile' }, 1000, (t) => seen.push(t));
  expect(seen).toEqual([]);
});
