// Event-stream clients for the fan-out benchmark (bench/events.ts), in the runner or in a process of their own.
//
// `openClientSet` opens C websocket clients and measures bursts: the time from just before the trigger (an INSERT
// into Halley's outbox, or the bare server's /broadcast) until every client has received every message. With
// `{ ownProcess: true }` the clients live in a child process (this file run with --host): each process has its own
// open-file limit (20,000 here), so both servers' 10,000 clients can be open at once and the rounds can alternate.
// The clock is CLOCK_MONOTONIC (process.hrtime), which is the same in both processes; the child polls its counts
// every 5 ms, as the runner does for its own clients.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export type FanoutResult = {
  messages: number;
  seconds: number;
  messagesPerSec: number;
  firstAfterMs: number;
  firstToLastMessagesPerSec: number;
  avgBytes: number;
  /** CPU of the process that held the clients over the burst (the runner's includes the trigger), per 1,000 messages. */
  clientCpuMsPer1000: number;
  /** read(2) calls of that process over the burst, per 1,000 messages (/proc/self/io). */
  clientReadsPer1000: number;
  /** The part of clientCpuMsPer1000 spent in the kernel. */
  clientSystemMsPer1000: number;
  /** Share of the burst that process's event loop spent idle (waiting for data), 0-1. */
  clientIdle: number;
  /** Its context switches over the burst per 1,000 messages: voluntary (it slept) / involuntary (preempted). */
  clientSwitchesPer1000: { voluntary: number; involuntary: number };
};

export type ClientSet = {
  /** Runs `trigger` and waits until every client has `events` more messages. */
  measure: (events: number, trigger: () => Promise<void>) => Promise<FanoutResult>;
  close: () => Promise<void>;
};

type Opened = { counts: Int32Array; bytes: () => number; close: () => void };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowNs = () => process.hrtime.bigint();

/** Opens `n` websocket clients, 50 at a time; `login` frames are sent on open; resolves once each has `ready` messages. */
async function openClients(url: string, n: number, login: string[] | null, ready: number): Promise<Opened> {
  const counts = new Int32Array(n);
  const sockets: WebSocket[] = [];
  let bytes = 0;
  for (let start = 0; start < n; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - start) }, (_, k) => {
        const i = start + k;
        return new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          sockets[i] = ws;
          // Once a client is ready, every message goes through the same counting listener on both sides: the login
          // check (a toString of the message) must not run again in Halley's rounds, where it would be client work the
          // baseline's clients do not do.
          const count = (data: Buffer) => {
            counts[i] += 1;
            bytes += data.length;
          };
          const opened = () => {
            ws.off('message', opening);
            ws.on('message', count);
            resolve();
          };
          let seen = 0;
          const opening = (data: Buffer) => {
            seen += 1;
            if (seen === 1 && login && data.toString() !== '200 OK') reject(new Error(`login refused: ${data.toString()}`));
            if (seen === ready) opened();
          };
          ws.on('error', reject);
          ws.on('open', () => {
            if (login) for (const f of login) ws.send(f);
            if (ready === 0) opened();
          });
          ws.on('message', opening);
        });
      }),
    );
  }
  return { counts, bytes: () => bytes, close: () => sockets.forEach((s) => s.terminate()) };
}

/** Resets the counts, then waits until every client has `events` messages; times in ns of the monotonic clock. */
async function countBurst(c: Opened, events: number, started: () => bigint, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  let firstNs = 0n;
  for (;;) {
    if (!firstNs && c.counts.some((n) => n > 0)) firstNs = nowNs();
    if (c.counts.every((n) => n >= events)) break;
    if (Date.now() > deadline) throw new Error('timed out waiting for every client to receive every event');
    await sleep(5);
  }
  const endNs = nowNs();
  if (c.counts.some((n) => n !== events)) throw new Error(`a client received more than ${events} events`);
  return { firstNs: firstNs || started(), endNs };
}

/** read(2) calls of this process so far (0 where /proc is missing). */
const readCalls = () => {
  try {
    return Number(/^syscr: (\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

/** This process's context switches so far (/proc/self/status; zeros where /proc is missing). */
const switches = () => {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    return { voluntary: Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(status)?.[1] ?? 0), involuntary: Number(/^nonvoluntary_ctxt_switches:\s+(\d+)$/m.exec(status)?.[1] ?? 0) };
  } catch {
    return { voluntary: 0, involuntary: 0 };
  }
};
type Probe = { cpu: NodeJS.CpuUsage; reads: number; elu: EventLoopUtilization; switches: { voluntary: number; involuntary: number } };
const probe = (): Probe => ({ cpu: process.cpuUsage(), reads: readCalls(), elu: performance.eventLoopUtilization(), switches: switches() });
/** What the process holding the clients did since `p`. */
const since = (p: Probe): ClientWork => {
  const s = switches();
  const cpu = process.cpuUsage(p.cpu);
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    systemMs: cpu.system / 1000,
    reads: readCalls() - p.reads,
    idle: 1 - performance.eventLoopUtilization(p.elu).utilization,
    voluntary: s.voluntary - p.switches.voluntary,
    involuntary: s.involuntary - p.switches.involuntary,
  };
};
type ClientWork = { cpuMs: number; systemMs: number; reads: number; idle: number; voluntary: number; involuntary: number };

function result(messages: number, t0: bigint, firstNs: bigint, endNs: bigint, bytes: number, client: ClientWork): FanoutResult {
  const seconds = Number(endNs - t0) / 1e9;
  const per1000 = (x: number, digits: number) => Number(((x / messages) * 1000).toFixed(digits));
  return {
    clientIdle: Number(client.idle.toFixed(2)),
    clientSystemMsPer1000: per1000(client.systemMs, 3),
    clientSwitchesPer1000: { voluntary: per1000(client.voluntary, 1), involuntary: per1000(client.involuntary, 1) },
    clientCpuMsPer1000: per1000(client.cpuMs, 3),
    clientReadsPer1000: per1000(client.reads, 1),
    messages,
    seconds,
    messagesPerSec: messages / seconds,
    firstAfterMs: Math.round(Number(firstNs - t0) / 1e6),
    firstToLastMessagesPerSec: messages / (Number(endNs - firstNs) / 1e9),
    avgBytes: Math.round(bytes / messages),
  };
}

type HostRequest = { kind: 'arm'; events: number } | { kind: 'close' };
type HostReply = { kind: 'ready' } | { kind: 'armed' } | { kind: 'done'; firstNs: string; endNs: string; bytes: number; messages: number; work: ClientWork } | { kind: 'error'; message: string };

export async function openClientSet(url: string, n: number, login: string[] | null, ready: number, opts: { ownProcess?: boolean } = {}): Promise<ClientSet> {
  if (!opts.ownProcess) {
    const c = await openClients(url, n, login, ready);
    return {
      measure: async (events, trigger) => {
        c.counts.fill(0);
        const bytes0 = c.bytes();
        const p = probe();
        const t0 = nowNs();
        await trigger();
        const { firstNs, endNs } = await countBurst(c, events, () => t0);
        return result(events * n, t0, firstNs, endNs, c.bytes() - bytes0, since(p));
      },
      close: async () => c.close(),
    };
  }
  const child = fork(fileURLToPath(import.meta.url), ['--host', url, String(n), JSON.stringify(login), String(ready)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: HostReply[] = [];
  let wake: (() => void) | undefined;
  let exited = false;
  child.on('message', (m: HostReply) => {
    replies.push(m);
    wake?.();
  });
  child.on('exit', () => {
    exited = true;
    wake?.();
  });
  const next = async (): Promise<HostReply> => {
    while (!replies.length) {
      if (exited) throw new Error('the fan-out client process exited');
      await new Promise<void>((r) => (wake = r));
    }
    const m = replies.shift()!;
    if (m.kind === 'error') throw new Error(`fan-out client process: ${m.message}`);
    return m;
  };
  await next(); // ready
  return {
    measure: async (events, trigger) => {
      child.send({ kind: 'arm', events } satisfies HostRequest);
      await next(); // armed: counts reset
      const t0 = nowNs();
      await trigger();
      const done = (await next()) as Extract<HostReply, { kind: 'done' }>;
      return result(done.messages, t0, BigInt(done.firstNs), BigInt(done.endNs), done.bytes, done.work);
    },
    close: async () => {
      if (exited) return;
      child.send({ kind: 'close' } satisfies HostRequest);
      await new Promise<void>((r) => (exited ? r() : child.once('exit', () => r())));
    },
  };
}

/** The child: holds the clients, counts bursts when armed. */
async function host(argv: string[]): Promise<void> {
  const [url, n, login, ready] = argv;
  const send = (m: HostReply) => process.send!(m);
  try {
    const c = await openClients(url, Number(n), JSON.parse(login) as string[] | null, Number(ready));
    process.on('message', (m: HostRequest) => {
      if (m.kind === 'close') {
        c.close();
        process.disconnect();
        return;
      }
      c.counts.fill(0);
      const bytes0 = c.bytes();
      const armedNs = nowNs();
      const p = probe();
      send({ kind: 'armed' });
      countBurst(c, m.events, () => armedNs).then(
        ({ firstNs, endNs }) => send({ kind: 'done', firstNs: String(firstNs), endNs: String(endNs), bytes: c.bytes() - bytes0, messages: m.events * Number(n), work: since(p) }),
        (err: Error) => send({ kind: 'error', message: err.message }),
      );
    });
    send({ kind: 'ready' });
  } catch (err) {
    send({ kind: 'error', message: (err as Error).message });
    process.disconnect();
  }
}

if (process.argv[2] === '--host' && path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) void host(process.argv.slice(3));
