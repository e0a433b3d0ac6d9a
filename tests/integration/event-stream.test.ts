// The Comet-compatible live event stream over a real websocket: five-frame login, "200 OK" /
// "403 Unauth", SEVT_META_HELLO first, tenant scoping, allowList, and Halley's ?since= resume.
// The last tests write outbox rows straight into PostgreSQL (as a change's transaction would) to commit
// them out of id order, and check that no event is skipped and that ?since= resumes without gap or duplicate,
// and that a commit notifies the tails (lib/events/tail.ts LISTENs) once per transaction.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { compactJsonbText } from '../../lib/json/jsonb-text';
import { makeTenant, makeUser, rootClient, ROOT, uniq, type TenantFixture } from '../helpers/fixtures';
import { scrape } from '../helpers/prometheus';
import { halleyUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

/** `raws`: the text of each message in `events`, as received. */
type Stream = { ws: WebSocket; first: string; next: (match: (e: any) => boolean, ms?: number) => Promise<any>; events: any[]; raws: string[] };
const open: WebSocket[] = [];
const pgClients: pg.Client[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) ws.terminate();
  for (const c of pgClients.splice(0)) await c.end().catch(() => undefined);
});

/** A connection of its own to the test database (one per transaction to hold open). */
async function pgConnect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  pgClients.push(c);
  return c;
}

/** Inserts one outbox row (SEVT_ACCOUNT_UPDATED about `resourceId`) in the client's current transaction; returns its id. */
async function insertEvent(c: pg.Client, tenantId: string, resourceId: string): Promise<number> {
  const r = await c.query(
    `INSERT INTO "Event" ("tenantId", type, actor, "resourceId", timestamp) VALUES ($1, 4102, 'test', $2, extract(epoch from now())::bigint) RETURNING id::int AS id`,
    [tenantId, resourceId],
  );
  return r.rows[0].id;
}

/** Holds a producer's transaction open a little, so transactions interleave (workload shape, not synchronisation). */
const jitter = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How often the server's event tail has polled the outbox (its halley_event_tail_polls_total, open to loopback). */
async function tailPolls(): Promise<number> {
  return (await scrape(halleyUrl('/metrics'))).value('halley_event_tail_polls_total') ?? 0;
}

/** Waits until the tail has polled `n` more times: observable progress, not a guessed duration. */
async function tailPollsPass(n: number): Promise<void> {
  const from = await tailPolls();
  await waitFor(`${n} event-tail polls`, async () => (await tailPolls()) >= from + n, 15_000, 50);
}
const login = (t: TenantFixture): [string, string, string, string, string] => [t.adminName, 'Password', t.admin.creds!.password!, '', ''];

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
      const onClose = () => reject(new Error('closed'));
      const tryTake = () => {
        if (!messages.length) return void waiters.push(tryTake);
        ws.off('close', onClose);
        resolve(messages.shift()!);
      };
      ws.once('close', onClose);
      tryTake();
    });
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', async () => {
      for (const frame of login) ws.send(frame);
      const first = await nextRaw();
      const events: any[] = [];
      const raws: string[] = [];
      const next = async (match: (e: any) => boolean, ms = 10_000) => {
        const deadline = Date.now() + ms;
        for (;;) {
          const left = deadline - Date.now();
          if (left <= 0) throw new Error('no matching event');
          const raw = await Promise.race([nextRaw(), new Promise<string>((_, rej) => setTimeout(() => rej(new Error('no matching event')), left))]);
          const e = JSON.parse(raw);
          events.push(e);
          raws.push(raw);
          if (match(e)) return e;
        }
      };
      resolve({ ws, first, next, events, raws });
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

  it('skips no event that commits after a later one, and orders by transaction; ?since= follows that order', async () => {
    const t = await makeTenant('late');
    const live = await connect(login(t));
    await live.next((e) => e.Type === 4000);
    const holder = await pgConnect();
    const other = await pgConnect();
    const [x1, y1, x2, y2, end] = ['x1', 'y1', 'x2', 'y2', 'end'].map((k) => uniq(k));

    // 1. X1 is inserted (lower id) in a transaction held open; Y1 (higher id) commits from another connection.
    await holder.query('BEGIN');
    const x1Id = await insertEvent(holder, t.id, x1);
    const y1Id = await insertEvent(other, t.id, y1);
    // Several polls pass while Y1 is visible and X1 is not: a tail that followed ids would move past X1 here.
    await tailPollsPass(3);
    await holder.query('COMMIT');

    // 2. The reverse: the held transaction starts first but inserts X2 after Y2 committed, so X2's id is the
    // higher one. X2 still comes first: the stream's order is (writing transaction, id).
    await holder.query('BEGIN');
    await holder.query('SELECT pg_current_xact_id()');
    const y2Id = await insertEvent(other, t.id, y2);
    await tailPollsPass(3);
    const x2Id = await insertEvent(holder, t.id, x2);
    await holder.query('COMMIT');
    expect(x1Id).toBeLessThan(y1Id);
    expect(x2Id).toBeGreaterThan(y2Id);
    await insertEvent(other, t.id, end);

    await live.next((e) => e.ResourceID === end);
    const seen = live.events.filter((e) => e.Type === 4102).map((e) => [e.ResourceID, e.EventID]);
    expect(seen).toEqual([
      [x1, x1Id],
      [y1, y1Id],
      [x2, x2Id],
      [y2, y2Id],
      [end, expect.any(Number)],
    ]);

    // ?since=<EventID> replays what comes after that event in the order above, whatever the ids.
    const resume = async (since: number) => {
      const s = await connect(login(t), `?since=${since}&allowList=4102`);
      await s.next((e) => e.Type === 4000);
      await s.next((e) => e.ResourceID === end);
      return s.events.filter((e) => e.Type === 4102).map((e) => e.ResourceID);
    };
    expect(await resume(x1Id)).toEqual([y1, x2, y2, end]);
    expect(await resume(y1Id)).toEqual([x2, y2, end]);
    // A client whose last event was X2 has not seen Y2 although its id is lower: Y2 is replayed.
    expect(await resume(x2Id)).toEqual([y2, end]);
    // A client whose last event was Y2 has seen X2 although its id is higher: X2 is not sent again.
    expect(await resume(y2Id)).toEqual([end]);
  });

  it('the outbox wakes the tails at commit: one halley_event notification per transaction, none before commit', async () => {
    const t = await makeTenant('notify');
    const listener = await pgConnect();
    const notes: string[] = [];
    listener.on('notification', (n) => notes.push(n.channel));
    await listener.query('LISTEN halley_event');
    const writer = await pgConnect();
    await writer.query('BEGIN');
    await insertEvent(writer, t.id, uniq('n1'));
    await insertEvent(writer, t.id, uniq('n2'));
    // A round trip on the listener's connection: a notification sent by now would have arrived before its answer.
    await listener.query('SELECT 1');
    expect(notes).toEqual([]);
    await writer.query('COMMIT');
    await waitFor('the notification', async () => notes.length > 0, 10_000, 10);
    await listener.query('SELECT 1');
    expect(notes).toEqual(['halley_event']);
  });

  it('a client that drops and resumes with ?since= gets every event once, in order, under continuous production', { timeout: 120_000 }, async () => {
    const t = await makeTenant('churn');
    const writer = await pgConnect();
    const start = await insertEvent(writer, t.id, uniq('start'));
    const end = uniq('end');

    // Three writers commit overlapping transactions (some take their transaction id well before inserting),
    // so ids are taken in one order and committed in another.
    let produced = 0;
    const producer = async (c: pg.Client, w: number) => {
      for (let i = 0; i < 50; i++) {
        await c.query('BEGIN');
        if ((i + w) % 3 === 0) await c.query('SELECT pg_current_xact_id()');
        await jitter((i * 7 + w * 13) % 25);
        for (let k = 0; k <= (i + w) % 3; k++) {
          await insertEvent(c, t.id, `w${w}-${i}-${k}`);
          produced += 1;
        }
        await jitter((i * 11 + w * 5) % 15);
        await c.query('COMMIT');
      }
    };
    const producing = Promise.all([0, 1, 2].map(async (w) => producer(await pgConnect(), w))).then(() => insertEvent(writer, t.id, end));

    const received: Array<{ id: number; resourceId: string }> = [];
    let since = start;
    let connections = 0;
    for (let done = false; !done; ) {
      const s = await connect(login(t), `?since=${since}`);
      connections += 1;
      await s.next((e) => e.Type === 4000);
      // Read a few events, then drop the connection without a goodbye (whatever was still on the wire is lost).
      for (let n = 0; n < 17 + (connections % 5) * 6; n++) {
        const e = await s.next(() => true, 30_000);
        received.push({ id: e.EventID, resourceId: e.ResourceID });
        since = e.EventID;
        if (e.ResourceID === end) {
          done = true;
          break;
        }
      }
      s.ws.terminate();
    }
    await producing;
    expect(produced).toBe(300);
    expect(connections).toBeGreaterThan(5);

    // Exactly the tenant's events after the start one, in (txid, id) order, each once.
    const db = await pgConnect();
    const expected = await db.query(
      `SELECT e.id::int AS id, e."resourceId" FROM "Event" e,
         (SELECT txid, id FROM "Event" WHERE id = $2) s, (SELECT txid, id FROM "Event" WHERE "resourceId" = $3) z
       WHERE e."tenantId" = $1 AND (e.txid, e.id) > (s.txid, s.id) AND (e.txid, e.id) <= (z.txid, z.id)
       ORDER BY e.txid, e.id`,
      [t.id, start, end],
    );
    expect(received).toEqual(expected.rows);
    expect(received.at(-1)?.resourceId).toBe(end);
  });

  // The stream splices Data into its frames as PostgreSQL prints it (data::text, made compact by
  // lib/json/jsonb-text.ts) instead of parsing and re-serialising it: the bytes must stay those of
  // JSON.stringify of the event with Data parsed, as before.
  it('sends every event as the bytes of JSON.stringify of its StreamableEvent, whatever its Data, live and replayed', async () => {
    const t = await makeTenant('bytes');
    const live = await connect(login(t));
    await live.next((e) => e.Type === 4000);
    const writer = await pgConnect();
    const datas: Array<string | null> = [
      '{}',
      '[]',
      'null',
      null, // SQL NULL
      '"plain"',
      '0',
      JSON.stringify({ nested: { deeper: { list: [1, 'two', { three: [] }], empty: {} } }, 'key with spaces': 'a, b: c', 'k:': ', ' }),
      JSON.stringify({ unicode: 'é ü ß ø 日本語 😀 \u2028\u2029 عربى', escapes: 'quote " backslash \\ slash / tab \t nl \n cr \r bell \u0007 del \u007f us \u001f', '"quoted" key\\': '\\"' }),
      JSON.stringify({ numbers: [0.1, 0.30000000000000004, 1.7976931348623157e308, 5e-324, 1e21, 1e-7, -0, 2 ** 53 + 2, 100, -1.5] }),
      // Array-index keys come first in JavaScript's order, not in jsonb's.
      JSON.stringify({ b: 'bee', 10: 'ten', 2: 'two', '01': 'not an index', a: [{ x: 1, 0: 0 }] }),
      // Number spellings JSON.stringify never writes, as another writer may store them.
      '{"n": 1.50, "e": 1E+2, "tiny": 1e-9, "big": 12345678901234567890123, "huge": 1e400, "neg": -0.0}',
      JSON.stringify({ long: 'x'.repeat(70_000) }), // a 64-bit frame length
    ];
    const ids: number[] = [];
    for (const [i, data] of datas.entries()) {
      const r = await writer.query(
        `INSERT INTO "Event" ("tenantId", type, actor, "resourceId", data, timestamp) VALUES ($1, 4102, 'tést', $2, $3::jsonb, 1700000000 + $4) RETURNING id::int AS id`,
        [t.id, `bytes-${i}`, data, i],
      );
      ids.push(r.rows[0].id);
    }
    const rows = await writer.query(
      `SELECT id::int AS id, "resourceId", data::text AS data, timestamp::text AS ts FROM "Event" WHERE id = ANY($1::bigint[]) ORDER BY txid, id`,
      [ids],
    );
    const expected = rows.rows.map((r) =>
      JSON.stringify({
        Actor: 'tést',
        OwnerOrganizationID: t.id,
        ResourceID: r.resourceId,
        Type: 4102,
        Timestamp: Number(r.ts),
        TypeString: 'SEVT_ACCOUNT_UPDATED',
        Data: r.data === null ? null : JSON.parse(r.data),
        EventID: r.id,
      }),
    );
    const last = `bytes-${datas.length - 1}`;
    await live.next((e) => e.ResourceID === last);
    expect(live.raws.filter((_, i) => live.events[i].Type === 4102)).toEqual(expected);

    const replay = await connect(login(t), `?since=${ids[0] - 1}&allowList=4102`);
    await replay.next((e) => e.Type === 4000);
    await replay.next((e) => e.ResourceID === last);
    expect(replay.raws.filter((_, i) => replay.events[i].Type === 4102)).toEqual(expected);
  });

  it('compactJsonbText gives JSON.stringify of the parsed value for whatever jsonb prints (random values)', async () => {
    // A fixed-seed generator: the same values on every run.
    let seed = 22;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const chars = ['a', 'Z', ' ', ',', ':', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u007f', 'é', '日', '😀', '\u2028', '{', ']', '0', '7'];
    const str = () => Array.from({ length: Math.floor(rnd() * 8) }, () => chars[Math.floor(rnd() * chars.length)]).join('');
    const num = () => [0, -1, 42, 2 ** 53 + 2, 0.1, -3.25e-8, 6.02e23, 1e21, 1e-7, 123.456, Number.MAX_VALUE, Number.MIN_VALUE][Math.floor(rnd() * 12)] * (rnd() < 0.5 ? 1 : -1);
    const key = () => (rnd() < 0.15 ? String(Math.floor(rnd() * 20)) : str());
    const value = (depth: number): unknown => {
      const k = Math.floor(rnd() * (depth > 3 ? 5 : 7));
      if (k === 0) return null;
      if (k === 1) return rnd() < 0.5;
      if (k === 2) return num();
      if (k === 3 || k === 4) return str();
      if (k === 5) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 5) }, () => [key(), value(depth + 1)]));
    };
    const texts = Array.from({ length: 3000 }, () => JSON.stringify(value(0)));
    const c = await pgConnect();
    const printed = (await c.query<{ t: string }>('SELECT v::jsonb::text AS t FROM unnest($1::text[]) WITH ORDINALITY u(v, n) ORDER BY n', [texts])).rows.map((r) => r.t);
    expect(printed).toHaveLength(texts.length);
    const wrong = printed.filter((p) => compactJsonbText(p) !== JSON.stringify(JSON.parse(p)));
    expect(wrong).toEqual([]);
  });
});
