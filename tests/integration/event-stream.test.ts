// The Comet-compatible live event stream over a real websocket: five-frame login, "200 OK" /
// "403 Unauth", SEVT_META_HELLO first, tenant scoping, allowList, and Halley's ?since= resume.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeTenant, makeUser, rootClient, ROOT } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';

type Stream = { ws: WebSocket; first: string; next: (match: (e: any) => boolean, ms?: number) => Promise<any>; events: any[] };
const open: WebSocket[] = [];
afterEach(() => {
  for (const ws of open.splice(0)) ws.terminate();
});

function connect(login: [string, string, string, string, string], query = ''): Promise<Stream> {
  const url = halleyUrl('/api/v1/events/stream').replace(/^http/, 'ws') + query;
  const ws = new WebSocket(url);
  open.push(ws);
  const messages: string[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(data.toString());
    waiters.splice(0).forEach((w) => w());
  });
  const nextRaw = () =>
    new Promise<string>((resolve, reject) => {
      const tryTake = () => (messages.length ? resolve(messages.shift()!) : waiters.push(tryTake));
      ws.once('close', () => reject(new Error('closed')));
      tryTake();
    });
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', async () => {
      for (const frame of login) ws.send(frame);
      const first = await nextRaw();
      const events: any[] = [];
      const next = async (match: (e: any) => boolean, ms = 10_000) => {
        const deadline = Date.now() + ms;
        for (;;) {
          const left = deadline - Date.now();
          if (left <= 0) throw new Error('no matching event');
          const raw = await Promise.race([nextRaw(), new Promise<string>((_, rej) => setTimeout(() => rej(new Error('no matching event')), left))]);
          const e = JSON.parse(raw);
          events.push(e);
          if (match(e)) return e;
        }
      };
      resolve({ ws, first, next, events });
    });
  });
}

describe('event stream', () => {
  it('refuses bad credentials with "403 Unauth" and closes', async () => {
    await rootClient();
    const s = await connect([ROOT.username, 'Password', 'wrong', '', '']);
    expect(s.first).toBe('403 Unauth');
    await new Promise((r) => s.ws.once('close', r));
  });

  it('says hello, then streams changes in scope; tenant admins see only their tenant', async () => {
    const root = await rootClient();
    const a = await makeTenant('sa');
    const b = await makeTenant('sb');
    const top = await connect([ROOT.username, 'Password', ROOT.password, '', '']);
    expect(top.first).toBe('200 OK');
    const hello = await top.next(() => true);
    expect(hello).toMatchObject({ Type: 4000, TypeString: 'SEVT_META_HELLO' });
    expect(hello.Data.Version).toBeTruthy();
    const tenantA = await connect([a.adminName, 'Password', a.admin.creds!.password!, '', ''], '?allowList=4100');
    expect(tenantA.first).toBe('200 OK');
    await tenantA.next((e) => e.Type === 4000);

    const ub = await makeUser(b.admin);
    const ua = await makeUser(a.admin);
    // In order: B's user was created first.
    await top.next((e) => e.Type === 4100 && e.ResourceID === ub.username);
    const seenByTop = await top.next((e) => e.Type === 4100 && e.ResourceID === ua.username);
    expect(seenByTop).toMatchObject({ OwnerOrganizationID: a.id, TypeString: 'SEVT_ACCOUNT_NEW', Actor: a.adminName });
    expect(typeof seenByTop.EventID).toBe('number');
    const seenByA = await tenantA.next((e) => e.Type === 4100);
    expect(seenByA.ResourceID).toBe(ua.username);
    // Nothing of tenant B, and nothing outside the allowList, reached tenant A's stream.
    await root.ok('/api/v1/admin/delete-user', { TargetUser: ua.username });
    await top.next((e) => e.Type === 4101 && e.ResourceID === ua.username);
    expect(tenantA.events.filter((e) => e.Type !== 4000).every((e) => e.Type === 4100 && e.OwnerOrganizationID === a.id)).toBe(true);
  });

  it('resumes with ?since= without a gap', async () => {
    const t = await makeTenant('resume');
    const first = await connect([t.adminName, 'Password', t.admin.creds!.password!, '', '']);
    await first.next((e) => e.Type === 4000);
    const u1 = await makeUser(t.admin);
    const e1 = await first.next((e) => e.ResourceID === u1.username);
    first.ws.terminate();
    const missed = [await makeUser(t.admin), await makeUser(t.admin)];
    const again = await connect([t.adminName, 'Password', t.admin.creds!.password!, '', ''], `?since=${e1.EventID}&allowList=4100`);
    await again.next((e) => e.Type === 4000);
    const replayed = [await again.next(() => true), await again.next(() => true)];
    expect(replayed.map((e) => e.ResourceID)).toEqual(missed.map((m) => m.username));
    const live = await makeUser(t.admin);
    expect((await again.next(() => true)).ResourceID).toBe(live.username);
  });
});
