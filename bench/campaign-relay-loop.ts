// The update campaign's second baseline (issue 15: "<= 2x a bare loop sending the same command through the
// relay"), run by bench/campaign.ts in a process of its own with the workers' environment, while the same
// simulated devices are connected to Halley's web process: every connection the relay lists is sent the same
// update-software command through Halley's relay (relay.commandMany, chunks of 500, at most
// HALLEY_CAMPAIGN_SEND_CONCURRENCY (1000) devices in flight, as the campaign sends), and the clock stops when
// every device's answer is back. No campaign, no database: what the campaign adds on top (the start request,
// eligibility, its rows, the queue, claiming and recording) is the difference. Prints one JSON line:
// { ms, sent, ok, cpuMs } (cpuMs: this process's CPU over the same window).
//   tsx bench/campaign-relay-loop.ts <selfAddress> <version>
import { relay } from '../lib/live/relay';
import type { TCommand } from '../lib/live/protocol';

const CHUNK = 500;
const TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const [selfAddress = '', version = ''] = process.argv.slice(2);
  const inFlightMax = Number(process.env.HALLEY_CAMPAIGN_SEND_CONCURRENCY ?? 1000);
  const cmd: TCommand = { type: 'update-software', selfAddress, version };
  const r = relay();
  // Warm-up outside the clock: the relay's Redis connections and its node channel (a send to nobody).
  await r.commandMany([], cmd, TIMEOUT_MS, () => undefined);

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const conns = await r.listConnections();
  let free = inFlightMax;
  let wake: (() => void) | null = null;
  let ok = 0;
  const sends: Array<Promise<void>> = [];
  for (let i = 0; i < conns.length; i += CHUNK) {
    const chunk = conns.slice(i, i + CHUNK);
    while (free < chunk.length) await new Promise<void>((resolve) => (wake = resolve));
    free -= chunk.length;
    sends.push(
      r.commandMany(chunk, cmd, TIMEOUT_MS, (_conn, answer) => {
        if (!(answer instanceof Error) && answer.ok) ok += 1;
        free += 1;
        const w = wake;
        wake = null;
        w?.();
      }),
    );
  }
  await Promise.all(sends);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ ms, sent: conns.length, ok, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  await r.stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
