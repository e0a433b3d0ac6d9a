// The workers process's own small HTTP server: /healthz, /readyz and /metrics on
// HALLEY_WORKERS_METRICS_PORT. Workers are scraped directly (one target per node) rather than pushing
// their numbers through Redis to the web nodes: Prometheus then labels each node itself, a node's
// metrics stay readable while Redis is the thing that is down, and nothing is double-counted or stale.
import { createServer, type Server } from 'node:http';
import { env } from '../env';
import { log } from '../log';
import { serveHealth } from './serve-health';

/** Starts the server unless the port is 0; a port in use is logged and skipped (metrics are not worth a crash). */
export async function startWorkersHealthServer(): Promise<Server | undefined> {
  const { HALLEY_WORKERS_METRICS_PORT: port, HOST: host } = env();
  if (port === 0) return undefined;
  const server = createServer((req, res) => {
    serveHealth(req, res, 'workers').catch((err) => {
      log.warn({ err }, 'workers health request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve) => {
    server.once('error', (err) => {
      log.warn({ err: (err as Error).message, port }, 'workers metrics port unavailable: /metrics, /healthz and /readyz of this workers process are off');
      resolve(undefined);
    });
    server.listen(port, host, () => {
      log.info({ url: `http://${host}:${port}/metrics` }, 'workers metrics listening');
      resolve(server);
    });
  });
}
