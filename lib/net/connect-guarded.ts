// A raw TCP connection through the outbound guard: the host is resolved once, every address checked, and
// the socket opened to the first checked address (the next ones are tried if it refuses), within
// `timeoutMs` overall. TLS, if any, is the caller's (give it the configured host name as servername).
import net from 'node:net';
import { resolveTarget } from './outbound-guard';

type GuardedConnectOptions = {
  host: string;
  port: number;
  allowPrivate: boolean;
  /** Bound on DNS + TCP connect together. */
  timeoutMs: number;
  /** Names the kind of target in refusal messages ("SMTP server", "LDAP server"). */
  what: string;
};

function connectOnce(address: string, port: number, deadline: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`connecting to ${address}:${port} took too long`), { code: 'ETIMEDOUT' })), Math.max(1, deadline - Date.now()));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export async function connectGuarded(opts: GuardedConnectOptions): Promise<net.Socket> {
  const deadline = Date.now() + opts.timeoutMs;
  const addresses = await resolveTarget(opts.host, opts.allowPrivate, opts.what, opts.timeoutMs);
  let last: unknown;
  for (const a of addresses) {
    if (Date.now() >= deadline) break;
    try {
      return await connectOnce(a.address, opts.port, deadline);
    } catch (err) {
      last = err;
    }
  }
  throw last ?? Object.assign(new Error(`connecting to ${opts.host}:${opts.port} took too long`), { code: 'ETIMEDOUT' });
}
