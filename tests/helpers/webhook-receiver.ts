// A real HTTP webhook receiver on 127.0.0.1 for the tests: records every POST (headers, raw body),
// verifies Halley's signature when given the secret, deduplicates by X-Halley-Event-Id like a careful
// receiver would, and can be stopped and started again on the same port (receiver down, then back).
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** `validSignature` is checked against the receiver's current `secret` when read (null without one). */
export type Received = { headers: http.IncomingHttpHeaders; body: string; json: any; eventId: string; readonly validSignature: boolean | null; at: number };

export function verifySignature(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const ts = String(headers['x-halley-timestamp'] ?? '');
  const sig = String(headers['x-halley-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
  return sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** First receipt of each X-Halley-Event-Id, in arrival order (what a deduplicating receiver keeps). */
  readonly unique = new Map<string, Received>();
  secret: string | null = null;
  /** Answer with this status (and optional headers) instead of 200. */
  respond: { status: number; headers?: Record<string, string> } | null = null;
  /** Answer only after this long (a slow receiver keeps deliveries in flight). */
  delayMs = 0;
  /** Requests whose body arrived and whose answer is not sent yet. */
  inFlight = 0;
  /** Requests the sender gave up on (connection closed before the answer was sent: its time-out). */
  abandoned = 0;
  private server: http.Server | null = null;
  private sockets = new Set<import('node:net').Socket>();
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const receiver = this;
        const r: Received = {
          headers: req.headers,
          body,
          json,
          eventId: String(req.headers['x-halley-event-id'] ?? ''),
          get validSignature() {
            return receiver.secret ? verifySignature(receiver.secret, req.headers, body) : null;
          },
          at: Date.now(),
        };
        this.received.push(r);
        if (!this.unique.has(r.eventId)) this.unique.set(r.eventId, r);
        const answer = this.respond ?? { status: 200 };
        this.inFlight += 1;
        res.once('close', () => {
          if (!res.writableEnded) this.abandoned += 1;
        });
        setTimeout(() => {
          this.inFlight -= 1;
          res.writeHead(answer.status, answer.headers ?? {});
          res.end('ok');
        }, this.delayMs);
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.port, host: '127.0.0.1', exclusive: true }, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops open connections: deliveries now fail with ECONNREFUSED. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until `predicate` holds over what was received (polling), or fails after `ms`. */
  async waitFor(predicate: (r: this) => boolean, ms = 30_000, what = 'webhook deliveries'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (received ${this.received.length}, unique ${this.unique.size})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  ofType(type: number): Received[] {
    return [...this.unique.values()].filter((r) => r.json?.Type === type);
  }
}
