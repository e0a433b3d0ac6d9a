// Login protection under concurrency (issue 12, item 1): a burst of parallel wrong passwords gets no more
// than FailureThreshold of them checked per username+address, on every channel (API form POSTs, the
// event-stream websocket login, the console's next-auth credentials sign-in); the right password sent
// inside or after the burst is refused while locked; and parallel correct calls of a fresh admin (an SDK
// worker pool) all succeed.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loginSubject } from '../../lib/auth/login-protection';
import { client, rootClient } from '../helpers/fixtures';
import { waitFor } from '../helpers/live';
import { eventsFor, makeAdmin, sql } from '../helpers/security';
import { halleyFetch, halleyUrl } from '../helpers/server';

const SEVT_ACCOUNT_ADMIN_LOGIN_FAILED = 4154;
const THRESHOLD = 5; // the default LoginProtection (admin-security.test.ts restores it after changing it)
const BURST = 40;
const LOCKED = /Too many failed sign-in attempts/;

const sockets: WebSocket[] = [];
afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
});

type Creds = { username: string; password: string };

/** One API call with a password: the Message of the answer ('' when it succeeded). */
async function apiSignIn(c: Creds): Promise<string> {
  const r = await client(c).call('/api/v1/admin/meta/version');
  return r.body?.Status && r.body.Status !== 200 ? String(r.body.Message) : r.body?.Version ? '' : `unexpected answer ${r.text.slice(0, 200)}`;
}

/** The event stream's five-frame login: resolves with the server's first frame ("200 OK" / "403 Unauth"). */
function streamSignIn(c: Creds): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(halleyUrl('/api/v1/events/stream').replace(/^http/, 'ws'));
    sockets.push(ws);
    ws.once('error', reject);
    ws.once('open', () => {
      for (const frame of [c.username, 'Password', c.password, '', '']) ws.send(frame);
    });
    ws.once('message', (data) => {
      resolve(data.toString());
      ws.close();
    });
    ws.once('close', () => resolve('closed before answering'));
  });
}

/** next-auth's CSRF token and cookie, then its credentials callback: '' on success, else the error text. */
async function consoleCsrf(): Promise<{ token: string; cookie: string }> {
  const res = await halleyFetch('/api/auth/csrf');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { token: csrfToken, cookie };
}

async function consoleSignIn(csrf: { token: string; cookie: string }, c: Creds): Promise<string> {
  const res = await halleyFetch('/api/auth/callback/credentials', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie },
    body: new URLSearchParams({ csrfToken: csrf.token, username: c.username, password: c.password, json: 'true', callbackUrl: halleyUrl('/') }),
  });
  const signedIn = res.headers.getSetCookie().some((s) => s.startsWith('halley.session='));
  if (signedIn) return '';
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  const error = body.url ? new URL(body.url).searchParams.get('error') : null;
  return error ?? `unexpected answer ${res.status}`;
}

const failures = async (username: string) => (await eventsFor(username, SEVT_ACCOUNT_ADMIN_LOGIN_FAILED)).length;

/**
 * Sends BURST wrong passwords at once through `signIn`; once the first failure is on record (so the
 * threshold's slots are all held by wrong guesses), the right password too. Returns its answer and the
 * burst's answers.
 */
async function burst<T>(admin: Creds, signIn: (c: Creds) => Promise<T>): Promise<{ right: T; wrong: T[] }> {
  const wrong = Promise.all(Array.from({ length: BURST }, (_, i) => signIn({ username: admin.username, password: `wrong-${i}` })));
  await waitFor('the first failure of the burst', async () => (await failures(admin.username)) >= 1, 30_000, 20);
  const right = await signIn(admin);
  return { right, wrong: await wrong };
}

describe('login protection under concurrency', () => {
  it('API: a burst gets at most FailureThreshold guesses checked, and the right password is refused while locked', { timeout: 90_000 }, async () => {
    await rootClient();
    const admin = await makeAdmin('burst-api');
    const { right, wrong } = await burst(admin, apiSignIn);
    expect(right).toMatch(LOCKED);
    expect(wrong.every((m) => m === 'Incorrect username or password' || LOCKED.test(m))).toBe(true);
    expect(wrong.filter((m) => m === 'Incorrect username or password')).toHaveLength(THRESHOLD);
    expect(await failures(admin.username)).toBe(THRESHOLD);
    expect(await apiSignIn(admin)).toMatch(LOCKED);
    // Through another channel the same subject is locked too.
    expect(await streamSignIn(admin)).toBe('403 Unauth');
    expect(await failures(admin.username)).toBe(THRESHOLD);
  });

  it('event stream: a burst of websocket logins gets at most FailureThreshold guesses checked', { timeout: 90_000 }, async () => {
    await rootClient();
    const admin = await makeAdmin('burst-ws');
    const { right, wrong } = await burst(admin, streamSignIn);
    expect(right).toBe('403 Unauth');
    expect(wrong.every((m) => m === '403 Unauth')).toBe(true);
    expect(await failures(admin.username)).toBe(THRESHOLD);
    expect(await apiSignIn(admin)).toMatch(LOCKED);
  });

  it('console: a burst of credentials sign-ins gets at most FailureThreshold guesses checked', { timeout: 90_000 }, async () => {
    await rootClient();
    const admin = await makeAdmin('burst-console');
    const csrf = await consoleCsrf();
    const { right, wrong } = await burst(admin, (c) => consoleSignIn(csrf, c));
    expect(right).toMatch(LOCKED);
    expect(wrong.every((m) => m === 'Incorrect username or password' || LOCKED.test(m))).toBe(true);
    expect(await failures(admin.username)).toBe(THRESHOLD);
    expect(await apiSignIn(admin)).toMatch(LOCKED);
  });

  it('parallel correct calls of a fresh admin all succeed, on every channel', { timeout: 90_000 }, async () => {
    await rootClient();
    const apiAdmin = await makeAdmin('pool-api');
    expect(await Promise.all(Array.from({ length: 20 }, () => apiSignIn(apiAdmin)))).toEqual(Array(20).fill(''));
    const wsAdmin = await makeAdmin('pool-ws');
    expect(await Promise.all(Array.from({ length: 20 }, () => streamSignIn(wsAdmin)))).toEqual(Array(20).fill('200 OK'));
    const consoleAdmin = await makeAdmin('pool-console');
    const csrf = await consoleCsrf();
    expect(await Promise.all(Array.from({ length: 20 }, () => consoleSignIn(csrf, consoleAdmin)))).toEqual(Array(20).fill(''));
    for (const a of [apiAdmin, wsAdmin, consoleAdmin]) expect(await failures(a.username)).toBe(0);
  });

  it('a correct password mixed into wrong ones still gets in when the threshold is not reached', { timeout: 60_000 }, async () => {
    await rootClient();
    const admin = await makeAdmin('mixed');
    const answers = await Promise.all([
      ...Array.from({ length: THRESHOLD - 1 }, (_, i) => apiSignIn({ username: admin.username, password: `wrong-${i}` })),
      ...Array.from({ length: 10 }, () => apiSignIn(admin)),
    ]);
    expect(answers.slice(0, THRESHOLD - 1).every((m) => m === 'Incorrect username or password')).toBe(true);
    expect(answers.slice(THRESHOLD - 1)).toEqual(Array(10).fill(''));
  });

  it('slots left by a crashed process expire: the subject is not stuck', { timeout: 60_000 }, async () => {
    await rootClient();
    const admin = await makeAdmin('crashed');
    const subject = loginSubject(admin.username, '127.0.0.1');
    const slots = (expiresAt: number) => Array.from({ length: THRESHOLD }, (_, i) => `${expiresAt}:crashed-${i}`);
    // Every slot held by attempts of a process that died long ago: they no longer count.
    await sql(`INSERT INTO "LoginFailure" (subject, failures, "firstFailureAt", reservations) VALUES ($1, 0, now(), $2)`, [subject, slots(Date.now() - 1_000)]);
    expect(await apiSignIn(admin)).toBe('');
    // Every slot held by a process that died just now: the next sign-in waits for them to expire, then gets in.
    const other = await makeAdmin('crashed-now');
    await sql(`INSERT INTO "LoginFailure" (subject, failures, "firstFailureAt", reservations) VALUES ($1, 0, now(), $2)`, [loginSubject(other.username, '127.0.0.1'), slots(Date.now() + 2_000)]);
    expect(await apiSignIn(other)).toBe('');
    expect(await sql(`SELECT 1 FROM "LoginFailure" WHERE subject = ANY($1)`, [[subject, loginSubject(other.username, '127.0.0.1')]])).toEqual([]);
  });
});
