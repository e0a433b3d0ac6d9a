// A host whose lookup failed is answered from memory for a short while, and callers asking while a lookup is under
// way share it: a webhook to a host whose DNS hangs must not hold a resolver thread and a delivery slot per attempt
// (it delayed every other webhook in the full test run). node:dns is replaced here: the real resolver's answer for a
// missing name depends on the machine (ENOTFOUND at once, or no answer at all without a network).
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls: string[] = [];
let answer: (host: string, cb: (err: NodeJS.ErrnoException | null, addresses: Array<{ address: string; family: number }>) => void) => void;

vi.mock('node:dns', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns')>();
  return {
    ...real,
    lookup: (host: string, _opts: unknown, cb: (err: NodeJS.ErrnoException | null, addresses: Array<{ address: string; family: number }>) => void) => {
      calls.push(host);
      answer(host, cb);
    },
  };
});

const { resolveTarget } = await import('../../lib/net/outbound-guard');

beforeEach(() => {
  calls.length = 0;
});

describe('DNS failures are remembered briefly', () => {
  it('a name that does not exist is looked up once for several attempts in a row, each getting its own error', async () => {
    answer = (host, cb) => setTimeout(() => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }), []), 5);
    const host = 'gone-1.halley-test.invalid';
    const errors = await Promise.all([1, 2, 3].map(() => resolveTarget(host, true).catch((e: NodeJS.ErrnoException) => e)));
    const later = await resolveTarget(host, true).catch((e: NodeJS.ErrnoException) => e);
    expect(calls).toEqual([host]);
    for (const e of [...errors, later]) expect(e).toMatchObject({ code: 'ENOTFOUND', message: `getaddrinfo ENOTFOUND ${host}` });
    expect(new Set([...errors, later]).size).toBe(4);
  });

  it('a lookup that never answers costs one resolver call and one timeout, then fails at once', async () => {
    answer = () => undefined; // the resolver never calls back (no DNS server reachable)
    const host = 'hangs.halley-test.invalid';
    const first = await resolveTarget(host, true, 'webhook', 50).catch((e: NodeJS.ErrnoException) => e);
    expect(first).toMatchObject({ code: 'ETIMEOUT' });
    const t0 = Date.now();
    const second = await resolveTarget(host, true, 'webhook', 5_000).catch((e: NodeJS.ErrnoException) => e);
    expect(second).toMatchObject({ code: 'ETIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(calls).toEqual([host]);
  });

  it('a success is never remembered: every connection resolves the name again', async () => {
    answer = (_host, cb) => cb(null, [{ address: '192.0.2.10', family: 4 }]);
    const host = 'ok.halley-test.example';
    await resolveTarget(host, true);
    await resolveTarget(host, true);
    expect(calls).toEqual([host, host]);
  });
});
