// A local stand-in for a PSA's HTTP API (Generic receiver, Gradient Synthesize, Syncro) on 127.0.0.1: the
// real services cannot run here, so tests check the requests Halley makes against their documented shapes.
// Records every request (method, path with query, headers, parsed JSON body) and answers through `route`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type PsaMockRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string; json: any };
type Answer = { status: number; json?: unknown };

export class PsaMock {
  readonly requests: PsaMockRequest[] = [];
  private server: http.Server | null = null;
  port = 0;

  constructor(private route: (req: PsaMockRequest, mock: PsaMock) => Answer = () => ({ status: 200, json: {} })) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = body ? JSON.parse(body) : undefined;
        } catch {
          json = undefined;
        }
        const r: PsaMockRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
        this.requests.push(r);
        const answer = this.route(r, this);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen({ port: 0, host: '127.0.0.1' }, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
