// Revocation reaches open event streams (issue 12, item 2), with two web processes on one database and
// one Redis: a session key revoked (or expired), an admin deleted, its permissions changed or its
// password changed closes that admin's /api/v1/events/stream sockets on both nodes, and the console's
// SSE relay, within a bound; other admins' streams stay open and keep receiving events.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { repoRoot } from '../../scripts/lib/services.mjs';
import { CometClient } from '../helpers/comet-client';
import { makeUser, rootClient } from '../helpers/fixtures';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { makeAdmin, sql } from '../helpers/security';
import { halleyUrl } from '../helpers/server';

const logDir = process.env.HALLEY_TEST_SERVICES_DIR ?? path.join(repoRoot, '.test-services');
/** The re-check runs every 2 s per node; this leaves room for a loaded test machine. */
const CLOSE_WITHIN_MS = 10_000;

let web2: HalleyProcess;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  await rootClient();
  web2 = await startHalley({ name: 'web2', logDir, workers: false });
}, 180_000);

afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
});

afterAll(async () => {
  await web2?.stop();
});

type Stream = { ws: WebSocket; closed: Promise<{ code: number; reason: string }>; events: any[]; next: (match: (e: any) => boolean) => Promise<any> };

/** Opens the event stream on `base` with the five login frames; resolves once it answered "200 OK". */
function openStream(base: string, frames: [string, string, string, string, string]): Promise<Stream> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/events/stream`);
  sockets.push(ws);
  const events: any[] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      for (const f of frames) ws.send(f);
    });
    let first = true;
    ws.on('message', (data) => {
      const text = data.toString();
      if (first) {
        first = false;
        if (text !== '200 OK') return reject(new Error(`stream login answered ${text}`));
        const next = (match: (e: any) => boolean) =>
          new Promise<any>((res, rej) => {
            const timer = setTimeout(() => rej(new Error('no matching event')), CLOSE_WITHIN_MS);
            const check = () => {
              const found = events.find(match);
              if (!found) return;
              clearTimeout(timer);
              waiters.delete(check);
              res(found);
            };
            waiters.add(check);
            check();
          });
        return resolve({ ws, closed, events, next });
      }
      events.push(JSON.parse(text));
      for (const w of [...waiters]) w();
    });
  });
}

/** Waits for the close with a deadline; returns how it closed. */
async function closedWithin(s: Stream, ms = CLOSE_WITHIN_MS): Promise<{ code: number; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([s.closed, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the stream was still open after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const node1 = () => halleyUrl();
const passwordFrames = (a: { username: string; password: string }): [string, string, string, string, string] => [a.username, 'Password', a.password, '', ''];
const sessionFrames = (username: string, key: string): [string, string, string, string, string] => [username, 'SessionKey', '', key, ''];

async function startSession(admin: { username: string; password: string }): Promise<string> {
  return (await new CometClient(node1(), admin).ok('/api/v1/admin/account/session-start')).SessionKey;
}

/** A bystander on both nodes: its streams must survive, and still receive a new event. */
async function bystanders(): Promise<{ streams: Stream[]; stillLive: () => Promise<void> }> {
  const other = await makeAdmin('bystander');
  const streams = [await openStream(node1(), passwordFrames(other)), await openStream(web2.url, passwordFrames(other))];
  return {
    streams,
    stillLive: async () => {
      const user = await makeUser(await rootClient());
      for (const s of streams) {
        expect(s.ws.readyState).toBe(WebSocket.OPEN);
        await s.next((e) => e.Type === 4100 && e.ResourceID === user.username);
      }
    },
  };
}

describe('revocation closes open event streams on every web node', () => {
  it('a revoked session key', { timeout: 60_000 }, async () => {
    const admin = await makeAdmin('rev-key');
    const key = await startSession(admin);
    const keep = await bystanders();
    const streams = [await openStream(node1(), sessionFrames(admin.username, key)), await openStream(web2.url, sessionFrames(admin.username, key))];
    await new CometClient(node1(), null).ok('/api/v1/admin/account/session-revoke', { Username: admin.username, AuthType: 'SessionKey', SessionKey: key });
    for (const s of streams) expect(await closedWithin(s)).toEqual({ code: 1008, reason: 'Session revoked or expired' });
    await keep.stillLive();
  });

  it('an expired session key', { timeout: 60_000 }, async () => {
    const admin = await makeAdmin('exp-key');
    const key = await startSession(admin);
    const streams = [await openStream(node1(), sessionFrames(admin.username, key)), await openStream(web2.url, sessionFrames(admin.username, key))];
    // The idle expiry passing, without waiting HALLEY_SESSION_TIMEOUT_SECONDS for it.
    await sql(`UPDATE "Session" s SET "expiresAt" = now() - interval '1 second' FROM "AdminUser" a WHERE a.id = s."adminId" AND a.username = $1`, [admin.username]);
    for (const s of streams) expect(await closedWithin(s)).toEqual({ code: 1008, reason: 'Session revoked or expired' });
  });

  it('a deleted admin', { timeout: 60_000 }, async () => {
    const admin = await makeAdmin('rev-del');
    const key = await startSession(admin);
    const keep = await bystanders();
    const streams = [await openStream(node1(), passwordFrames(admin)), await openStream(web2.url, sessionFrames(admin.username, key))];
    await (await rootClient()).ok('/api/v1/admin/admin-user/delete', { TargetUser: admin.username });
    for (const s of streams) expect((await closedWithin(s)).code).toBe(1008);
    await keep.stillLive();
  });

  it('changed permissions, also through the console relay', { timeout: 90_000 }, async () => {
    const admin = await makeAdmin('rev-perm');
    const key = await startSession(admin);
    const streams = [await openStream(node1(), passwordFrames(admin)), await openStream(web2.url, sessionFrames(admin.username, key))];
    const relay = await openConsoleRelay(web2.url, admin);
    await (await rootClient()).ok('/api/v1/admin/admin-user/set-permissions', { TargetUser: admin.username, Permissions: { AllowEditEmailOptions: true } });
    for (const s of streams) expect(await closedWithin(s)).toEqual({ code: 1008, reason: 'Permissions changed' });
    const ended = await relay.ended(CLOSE_WITHIN_MS);
    expect(ended).toMatch(/event: closed\ndata: \{"code":1008,"reason":"Permissions changed"\}/);
  });

  it('a changed password closes streams that signed in with the old one', { timeout: 60_000 }, async () => {
    const admin = await makeAdmin('rev-pw');
    const streams = [await openStream(node1(), passwordFrames(admin)), await openStream(web2.url, passwordFrames(admin))];
    await new CometClient(web2.url, admin).ok('/api/v1/admin/account/set-properties', { Security: { Password: `${admin.password}-new`, PasswordFormat: 0 } });
    for (const s of streams) expect(await closedWithin(s)).toEqual({ code: 1008, reason: 'Password changed' });
  });
});

/** Signs in to the console on `base` (next-auth credentials) and opens the SSE relay; resolves at "ready". */
async function openConsoleRelay(base: string, admin: { username: string; password: string }): Promise<{ ended: (ms: number) => Promise<string> }> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const cookies = csrfRes.headers.getSetCookie().map((c) => c.split(';')[0]);
  const signIn = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ csrfToken, username: admin.username, password: admin.password, json: 'true', callbackUrl: `${base}/` }),
  });
  const session = signIn.headers.getSetCookie().find((c) => c.startsWith('halley.session='));
  if (!session) throw new Error(`console sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const abort = new AbortController();
  const res = await fetch(`${base}/settings/events/stream`, { headers: { cookie: session.split(';')[0] }, signal: abort.signal });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let done = false;
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
      if (text.includes('event: ready')) readyResolve();
    }
    done = true;
  })();
  await Promise.race([ready, pump.then(() => Promise.reject(new Error(`relay ended before ready: ${text}`)))]);
  return {
    ended: async (ms) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([pump, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the console relay was still open after ${ms} ms: ${text}`)), ms)))]);
      } finally {
        clearTimeout(timer);
        if (!done) abort.abort();
      }
      return text;
    },
  };
}
