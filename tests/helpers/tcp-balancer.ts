// A small TCP load balancer for cluster tests: round robin over backends, no stickiness. It checks each
// backend's GET /readyz every `checkMs` and sends new connections only to ready ones (a draining or dead
// node is taken out like nginx/HAProxy would); a connection whose backend refuses is tried on the next one.
// When either side of a proxied connection closes or breaks, the other side is closed too, so a client sees
// a killed node as a broken connection (as behind a real balancer).
import net from 'node:net';

export type Backend = { host: string; port: number };

export class TcpBalancer {
  private server: net.Server | null = null;
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly ready = new Map<string, boolean>();
  private readonly open = new Set<net.Socket>();
  port = 0;
  /** Connections handed to each backend ("host:port" -> count). */
  readonly connections = new Map<string, number>();

  constructor(
    public backends: Backend[],
    private readonly checkMs = 250,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private key(b: Backend): string {
    return `${b.host}:${b.port}`;
  }

  async start(): Promise<this> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.checkMs);
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
    return this;
  }

  private async check(): Promise<void> {
    await Promise.all(
      this.backends.map(async (b) => {
        const ok = await fetch(`http://${this.key(b)}/readyz`, { signal: AbortSignal.timeout(2000) })
          .then((r) => (void r.body?.cancel(), r.status === 200))
          .catch(() => false);
        this.ready.set(this.key(b), ok);
      }),
    );
  }

  private candidates(): Backend[] {
    const ready = this.backends.filter((b) => this.ready.get(this.key(b)) !== false);
    const list = ready.length ? ready : this.backends; // none known ready: try them all rather than refuse
    const start = this.next++ % list.length;
    return [...list.slice(start), ...list.slice(0, start)];
  }

  private accept(client: net.Socket): void {
    this.open.add(client);
    client.pause();
    client.on('error', () => undefined);
    client.on('close', () => this.open.delete(client));
    const tryBackend = (list: Backend[]) => {
      const b = list.shift();
      if (!b) return void client.destroy();
      const upstream = net.connect(b.port, b.host);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        this.connections.set(this.key(b), (this.connections.get(this.key(b)) ?? 0) + 1);
        this.open.add(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        if (!connected) tryBackend(list);
      });
      upstream.on('close', () => {
        this.open.delete(upstream);
        if (connected) client.destroy();
      });
      client.on('close', () => upstream.destroy());
    };
    tryBackend(this.candidates());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const s of this.open) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
