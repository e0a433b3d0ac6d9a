// The webhook benchmark's baseline (bench/events.ts): N bodies of the size Halley sends POSTed by a bare
// keep-alive `http.request` loop at a given concurrency; no database, no signing, no queue. Run as a script
// (`tsx bench/post-loop.ts <url> <n> <concurrency>`) it POSTs from its own process, as Halley's workers process
// does, and prints {"postsPerSec": ...} (start-up not counted).
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export async function barePostLoop(url: string, n: number, concurrency: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const body = JSON.stringify({ Actor: 'bench', OwnerOrganizationID: '', ResourceID: 'bench-1', Type: 4102, Timestamp: 0, TypeString: 'SEVT_ACCOUNT_UPDATED', Data: { Pad: 'x'.repeat(820), N: 1 }, EventID: 1 });
  const u = new URL(url);
  let next = 0;
  const t0 = performance.now();
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-halley-event-id': `bare-${i}` } },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++);
    }),
  );
  agent.destroy();
  return n / ((performance.now() - t0) / 1000);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [url, n, concurrency] = process.argv.slice(2);
  barePostLoop(url, Number(n), Number(concurrency)).then(
    (postsPerSec) => process.stdout.write(`${JSON.stringify({ postsPerSec })}\n`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
