// GET /healthz, /readyz and /metrics on a node:http server (the web server, and the workers' own port).
// Cheap and unauthenticated except /metrics (lib/health/metrics-access.ts); answered before the request
// reaches Next or the API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../log';
import { renderMetrics } from '../metrics/series';
import { mayReadMetrics } from './metrics-access';
import { checkReadiness } from './readiness';

const started = Date.now();
const HEALTH_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
}

/** Whether the request is for one of the health paths (then serveHealth answers it). */
export function isHealthPath(url: string | undefined): boolean {
  return HEALTH_PATHS.has((url ?? '').split('?')[0]);
}

export async function serveHealth(req: IncomingMessage, res: ServerResponse, role: string): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
    return void res.end('Method not allowed');
  }
  if (path === '/healthz') return json(res, 200, { status: 'ok', role, pid: process.pid, uptimeSeconds: Math.round((Date.now() - started) / 1000) });
  if (path === '/readyz') {
    const r = await checkReadiness();
    return json(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : r.draining ? 'draining' : 'not ready', role, ...r });
  }
  if (!mayReadMetrics(req)) {
    res.writeHead(403, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
    return void res.end('Forbidden: /metrics is open to loopback, HALLEY_METRICS_ALLOW and the HALLEY_METRICS_TOKEN bearer token');
  }
  try {
    const { text, contentType } = await renderMetrics();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(text);
  } catch (err) {
    log.warn({ err }, 'metrics collection failed');
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('metrics collection failed');
  }
}
