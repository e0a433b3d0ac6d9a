// The HTTP edge (issue 12 items 3 and 4): bodies are bounded while they stream, before authentication,
// on every route; bad input is a clear 4xx naming the parameter, never a 500.
import fs from 'node:fs';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import de from '@/messages/de.json';
import ja from '@/messages/ja.json';
import { ROOT, rootClient } from '../helpers/fixtures';
import { halleyUrl } from '../helpers/server';

const LIMIT = 16 * 1024 * 1024; // HALLEY_MAX_BODY_BYTES's default, which the test server runs with
const MiB = 1024 * 1024;

/** The pid of the process listening on the test server's port (its socket inode, found among /proc/<pid>/fd). */
function serverPid(port: number): number | null {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return Number(pid);
      } catch {
        /* fd closed meanwhile */
      }
    }
  }
  return null;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

type Upload = { status: number; headers: http.IncomingHttpHeaders; body: string; sentWhenAnswered: number; maxRssGrowth: number };

/**
 * Streams `total` bytes of `chunk`s (after `head`) with Transfer-Encoding: chunked, a MiB at a time
 * waiting for each to drain, and stops as soon as an answer has arrived. Samples the server's RSS.
 */
/**
 * Streams a chunked body of `total` bytes. `pauseAt`: stop sending once that much is out and wait (up to 10 s) for the
 * answer, so "answered before the body was through" does not depend on how fast this machine drains loopback
 * buffers: a server that waits for the whole body answers only after the pause, with everything sent.
 */
function chunkedUpload(path: string, headers: Record<string, string>, head: Buffer, total: number, pid: number | null, pauseAt = 0): Promise<Upload> {
  const url = new URL(halleyUrl(path));
  const baseline = pid ? rssBytes(pid) : 0;
  let maxRssGrowth = 0;
  const sample = () => {
    if (pid) maxRssGrowth = Math.max(maxRssGrowth, rssBytes(pid) - baseline);
  };
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered: Upload | null = null;
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      const sentWhenAnswered = sent;
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        sample();
        answered = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8'), sentWhenAnswered, maxRssGrowth };
        req.destroy();
        resolve(answered);
      });
    });
    // Writes after the server has answered and closed may fail; the answer is what counts.
    req.on('error', (err) => {
      if (!answered) setTimeout(() => (answered ? undefined : reject(err)), 2000);
    });
    const block = Buffer.alloc(MiB, 'a');
    let paused = false;
    const pump = () => {
      while (!answered && !req.destroyed) {
        sample();
        if (pauseAt && !paused && sent >= pauseAt) {
          paused = true;
          return void setTimeout(pump, 10_000);
        }
        if (sent === 0 && head.length) {
          sent += head.length;
          if (!req.write(head)) return void req.once('drain', pump);
          continue;
        }
        if (sent >= total) return void req.end();
        sent += block.length;
        if (!req.write(block)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

function multipartHead(boundary: string, fields: Record<string, string>, bigField: string): Buffer {
  let text = '';
  for (const [k, v] of Object.entries(fields)) text += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  text += `--${boundary}\r\nContent-Disposition: form-data; name="${bigField}"\r\n\r\n`;
  return Buffer.from(text);
}

async function postRaw(path: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(halleyUrl(path), { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body), redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

function multipart(boundary: string, fields: Array<[string, string]>): string {
  return fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('') + `--${boundary}--\r\n`;
}

describe('request bodies are bounded while they stream', () => {
  it('a chunked multipart API body without Content-Length gets 413 before it has been sent, and memory stays bounded', async () => {
    await rootClient();
    const port = Number(new URL(halleyUrl()).port);
    const pid = serverPid(port);
    expect(pid, 'the test server process').not.toBeNull();
    const boundary = 'edgeboundary1234';
    const head = multipartHead(boundary, { Username: ROOT.username, AuthType: 'Password' }, 'Password');
    const res = await chunkedUpload('/api/v1/admin/list-users', { 'content-type': `multipart/form-data; boundary=${boundary}` }, head, 48 * MiB, pid, LIMIT + 4 * MiB);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ Status: 413, Message: `Request body is larger than the limit of ${LIMIT} bytes` });
    // Answered once the limit was passed, not after 48 MiB.
    expect(res.sentWhenAnswered).toBeLessThan(LIMIT + 8 * MiB);
    if (pid) expect(res.maxRssGrowth).toBeLessThan(40 * MiB);
  });

  it('a chunked form-encoded API body is cut off the same way', async () => {
    const res = await chunkedUpload('/api/v1/admin/list-users', { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from('Username=a&Password='), 48 * MiB, null, LIMIT + 4 * MiB);
    expect(JSON.parse(res.body).Status).toBe(413);
    expect(res.sentWhenAnswered).toBeLessThan(LIMIT + 8 * MiB);
  });

  it('a declared oversize API body is refused without being read', async () => {
    const res = await new Promise<{ body: string }>((resolve, reject) => {
      const url = new URL(halleyUrl('/api/v1/admin/list-users'));
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(48 * MiB) } },
        (r) => {
          let body = '';
          r.on('data', (d) => (body += d));
          r.on('end', () => {
            resolve({ body });
            req.destroy();
          });
        },
      );
      req.on('error', reject);
      req.write('--x\r\n'); // the headers and a few bytes only
    });
    expect(JSON.parse(res.body).Status).toBe(413);
  });

  it('console routes refuse a declared oversize body (413) and any chunked body (411)', async () => {
    for (const path of ['/', '/login', '/api/auth/callback/credentials']) {
      const chunked = await chunkedUpload(path, { 'content-type': 'multipart/form-data; boundary=b', 'next-action': 'x' }, Buffer.alloc(0), 48 * MiB, null, 20 * MiB);
      expect(chunked.status, path).toBe(411);
      // Answered long before the 48 MiB body is through (how much the client got into the socket meanwhile depends
      // on scheduling: a loaded machine has seen exactly 8 MiB).
      expect(chunked.sentWhenAnswered, path).toBeLessThan(24 * MiB);
    }
    const declared = await new Promise<number>((resolve, reject) => {
      const url = new URL(halleyUrl('/'));
      const req = http.request({ host: url.hostname, port: url.port, path: '/', method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'next-action': 'x', 'content-length': String(LIMIT + 1) } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('[]');
    });
    expect(declared).toBe(413);
  });

  it('an event-stream frame over the frame limit closes the socket with 1009', async () => {
    const ws = new WebSocket(halleyUrl('/api/v1/events/stream').replace(/^http/, 'ws'), { perMessageDeflate: false });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    await new Promise<void>((resolve) => ws.on('open', () => resolve()));
    ws.send('x'.repeat(64 * 1024 + 1));
    expect(await closed).toBe(1009);
  });
});

describe('bad input is a 4xx naming the parameter, before and after authentication', () => {
  it('refuses a NUL byte in the username, the password and any string parameter', async () => {
    const root = await rootClient();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ Username: 'root\u0000admin', AuthType: 'Password', Password: 'x' }, /'Username' contains a NUL character/],
      [{ Username: ROOT.username, AuthType: 'Password', Password: 'pw\u0000' }, /'Password' contains a NUL character/],
      [{ Username: ROOT.username, AuthType: 'Pass\u0000word', Password: ROOT.password }, /'AuthType' contains a NUL character/],
    ];
    for (const [form, message] of cases) {
      const r = await client0('/api/v1/admin/list-users', form);
      expect(r.Status).toBe(400);
      expect(r.Message).toMatch(message);
    }
    const after = await root.fails('/api/v1/admin/add-user', { TargetUser: 'nul\u0000user', TargetPassword: 'pw' });
    expect(after).toMatchObject({ Status: 400, Message: expect.stringMatching(/'TargetUser' contains a NUL character/) });
    const name = await client0('/api/v1/admin/list-users', { Username: ROOT.username, AuthType: 'Password', Password: ROOT.password, 'X\u0000': '1' });
    expect(name).toMatchObject({ Status: 400, Message: 'A parameter name contains a NUL character' });
  });

  it('refuses NUL and unpaired surrogates inside JSON-in-form values, non-finite numbers and deep nesting', async () => {
    const root = await rootClient();
    const cases: Array<[string, RegExp]> = [
      ['{"Username":"a\\u0000b"}', /'ProfileData'\.Username contains a NUL character/],
      ['{"Devices":{"d\\u0000":{}}}', /'ProfileData'\.Devices has a key that contains a NUL character/],
      ['{"Emails":["\\ud800"]}', /'ProfileData'\.Emails\[0\] contains an unpaired UTF-16 surrogate/],
      ['{"Emails":["\\udc00x"]}', /unpaired UTF-16 surrogate/],
      ['{"MaximumDevices":1e400}', /'ProfileData'\.MaximumDevices is a number out of range/],
      [`{"Devices":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`, /nested more than 64 levels/],
    ];
    for (const [json, message] of cases) {
      const r = await root.fails('/api/v1/admin/add-user-from-profile', { TargetUser: 'json-nul', ProfileData: json });
      expect(r.Status, json).toBe(400);
      expect(r.Message, json).toMatch(message);
    }
    // A paired surrogate (an emoji) is fine text.
    const ok = await root.call('/api/v1/admin/add-user-from-profile', { TargetUser: `emoji-${Date.now()}`, ProfileData: '{"AccountName":"\\ud83d\\ude00"}' });
    expect(ok.body.Status).not.toBe(500);
  });

  it('a malformed multipart body is a 400 on every endpoint, with or without credentials', async () => {
    for (const path of ['/api/v1/admin/list-users', '/api/v1/admin/account/session-start', '/api/v1/user/web/get-user-profile-and-hash', '/api/v1/admin/add-first-admin-user']) {
      for (const [body, type] of [
        ['--b\r\nContent-Disposition: form-data; name="Username"\r\n\r\nroot', 'multipart/form-data; boundary=b'],
        ['garbage', 'multipart/form-data; boundary=b'],
        ['--b--\r\n', 'multipart/form-data'],
        ['\u0000\u0001', 'multipart/form-data; boundary="'],
      ] as const) {
        const r = await postRaw(path, body, { 'content-type': type });
        expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(200);
        const parsed = JSON.parse(r.text);
        expect(parsed.Status, `${path} ${JSON.stringify(body)}: ${r.text}`).toBe(400);
        expect(parsed.Message).toMatch(/multipart/);
      }
    }
  });

  it('a well-formed multipart body works; too many parts and file parts are refused', async () => {
    await rootClient();
    const b = 'okboundary';
    const creds: Array<[string, string]> = [['Username', ROOT.username], ['AuthType', 'Password'], ['Password', ROOT.password]];
    const ok = await postRaw('/api/v1/admin/list-users', multipart(b, creds), { 'content-type': `multipart/form-data; boundary=${b}` });
    expect(JSON.parse(ok.text)).toBeInstanceOf(Array);
    const many = multipart(b, [...creds, ...Array.from({ length: 1200 }, (_, i) => [`F${i}`, 'x'] as [string, string])]);
    const tooMany = JSON.parse((await postRaw('/api/v1/admin/list-users', many, { 'content-type': `multipart/form-data; boundary=${b}` })).text);
    expect(tooMany).toMatchObject({ Status: 400, Message: 'The form has more than 1000 fields' });
    const manyForm = JSON.parse((await postRaw('/api/v1/admin/list-users', 'a=1&'.repeat(1200), { 'content-type': 'application/x-www-form-urlencoded' })).text);
    expect(manyForm).toMatchObject({ Status: 400, Message: 'The form has more than 1000 fields' });
    const file = `--${b}\r\nContent-Disposition: form-data; name="Password"; filename="p.txt"\r\nContent-Type: text/plain\r\n\r\nsecret\r\n--${b}--\r\n`;
    const withFile = JSON.parse((await postRaw('/api/v1/admin/list-users', file, { 'content-type': `multipart/form-data; boundary=${b}` })).text);
    expect(withFile).toMatchObject({ Status: 400, Message: expect.stringMatching(/'Password' is a file/) });
  });

  it('invalid percent-encoding and odd bytes are plain text, not errors', async () => {
    await rootClient();
    const r = await postRaw('/api/v1/admin/list-users', `Username=${ROOT.username}&AuthType=Password&Password=%zz%E0%A4%A`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(JSON.parse(r.text).Status).toBe(403);
    const raw = await postRaw('/api/v1/admin/list-users', Buffer.from([0x55, 0x73, 0x65, 0x72, 0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xff, 0xfe]), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(JSON.parse(raw.text).Status).toBe(403);
  });

  it('a cross-origin server action is a 403 before Next (which would answer 500)', async () => {
    for (const origin of ['http://evil.example', 'null', 'not a url', `http://127.0.0.1:1`]) {
      const r = await postRaw('/', '[]', { 'content-type': 'text/plain;charset=UTF-8', 'next-action': '7f00000000000000000000000000000000000000aa', origin });
      expect(r.status, origin).toBe(403);
      expect(r.text).toMatch(/Cross-origin/);
    }
    // Multipart actions (forms) and the sign-in POST are checked too.
    const form = await postRaw('/login', multipart('q', [['a', 'b']]), { 'content-type': 'multipart/form-data; boundary=q', origin: 'http://evil.example' });
    expect(form.status).toBe(403);
    // Said in the browser's language (the console's cookie first).
    const german = await postRaw('/login', multipart('q', [['a', 'b']]), { 'content-type': 'multipart/form-data; boundary=q', origin: 'http://evil.example', 'accept-language': 'de-DE,de;q=0.9' });
    expect(german.text).toBe(de.api.crossOriginRefused);
    const byCookie = await postRaw('/login', multipart('q', [['a', 'b']]), { 'content-type': 'multipart/form-data; boundary=q', origin: 'http://evil.example', 'accept-language': 'de', cookie: 'halley-locale=ja' });
    expect(byCookie.text).toBe(ja.api.crossOriginRefused);
    // Same origin passes the check (Next then answers the unknown action itself, not with a 500).
    const same = await postRaw('/', '[]', { 'content-type': 'text/plain;charset=UTF-8', 'next-action': '7f00000000000000000000000000000000000000aa', origin: halleyUrl() });
    expect(same.status).not.toBe(403);
    expect(same.status).toBeLessThan(500);
  });
});

/** One API call without the client helper (so any form, NUL bytes included, goes out as given). */
async function client0(path: string, form: Record<string, string>): Promise<{ Status: number; Message: string }> {
  const r = await postRaw(path, new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  return JSON.parse(r.text);
}
