// Waiting on observable state with a deadline (never a bare sleep, never an endless loop).
import net from 'node:net';
import type { ManagedProcess } from '../../scripts/lib/services.mjs';

/** Polls `fn` until it returns a truthy value (or throws with `what` after `timeoutMs`). */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 25_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until 127.0.0.1:`port` accepts a connection; fails at once (with its output) when `proc` exits first. */
export function waitForTcpPort(port: number, proc: ManagedProcess, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (proc.exitInfo) return reject(new Error(`${what} exited during start-up:\n${proc.tail(30)}`));
      const sock = net.connect({ port, host: '127.0.0.1' });
      sock.once('connect', () => (sock.destroy(), resolve()));
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`${what} did not listen on ${port}:\n${proc.tail(30)}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

