// The web process: Next.js (console + /api/v1/** route handlers) and the websocket endpoints on
// one HTTP server, port 8060 by default like Comet.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import next from 'next';
import { API_PREFIX } from './lib/api/handle';
import { DISCARD_FACTOR, handleApiNode } from './lib/api/node-handler';
import { CLIENT_ADDRESS_HEADER } from './lib/auth/client-address';
import { closeDb } from './lib/db/client';
import { env } from './lib/env';
import { registerEventStream, stopEventStreams } from '@/lib/adapters/ws/event-stream';
import { registerDeviceSocket, stopDeviceSockets } from '@/lib/adapters/ws/device-socket';
import { log } from './lib/log';
import { startTracing, stopTracing } from './lib/observability/tracing';
import { collectWebMetrics } from './lib/health/collect-web';
import { isDraining, startDraining } from './lib/health/drain';
import { isHealthPath, serveHealth } from './lib/health/serve-health';
import { bodySizeRefusal, crossOriginRefusal, discardRestOfBody, type Refusal } from './lib/web/request-guards';
import { localizeApiMessage } from './lib/i18n/api-messages';
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from './lib/i18n/locales';
import { consoleSecurityHeaders } from './lib/web/security-headers';
import { upgradeHandlerFor } from '@/lib/adapters/ws/routes';
import { handleObjectApi, STORAGE_PREFIX } from '@/lib/adapters/storage/object-api';

function failed(err: unknown, req: IncomingMessage, res: ServerResponse): void {
  log.error({ err, url: req.url }, 'unhandled request error');
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
  res.end('Internal server error');
}

/** The console's language for a refusal answered before Next: the language switcher's cookie, else Accept-Language. */
function refusalLocale(req: IncomingMessage): Locale {
  // Locale codes need no decoding; anything else in the cookie is simply not a locale.
  const fromCookie = new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
  return isLocale(fromCookie) ? fromCookie : localeFromAcceptLanguage(req.headers['accept-language']);
}

/** Answers before anything reads the body, then discards what is still arriving (up to a bound). */
function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal, limit: number): void {
  res.writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(localizeApiMessage(refusal.reason, refusalLocale(req)));
  discardRestOfBody(req, DISCARD_FACTOR * limit);
}

async function main(): Promise<void> {
  const config = env();
  const dev = config.NODE_ENV !== 'production';
  // Next attaches its own 'upgrade' listener to the server it is given (else to the server of the first
  // request it handles) and then answers every websocket upgrade, the event stream's included. Give it a
  // sink instead; upgrades are routed below (Next's own dev-server socket included).
  const upgradeSink = new EventEmitter() as unknown as Server;
  const app = next({ dev, hostname: config.HOST, port: config.PORT, dir: import.meta.dirname, httpServer: upgradeSink });
  await app.prepare();
  const handle = app.getRequestHandler();
  const nextUpgrade = dev ? app.getUpgradeHandler() : undefined;

  await startTracing('web');
  registerEventStream();
  registerDeviceSocket();
  collectWebMetrics();
  const server = createServer((req, res) => {
    // While draining, every answer asks the client to open its next request elsewhere (closing keep-alive).
    if (isDraining()) res.setHeader('connection', 'close');
    // Health checks and metrics: cheap, before anything else (Next, body guards, the API).
    if (isHealthPath(req.url)) return void serveHealth(req, res, 'web').catch((err) => failed(err, req, res));
    // Route handlers only see a Fetch Request, which has no socket: hand them the peer address in a
    // header that a client can't supply (any incoming value is replaced).
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? '';
    // The console's sign-in (next-auth) builds its URLs and cookie flags from the Host and the scheme.
    // Only a trusted reverse proxy may say the scheme or host was different.
    if (!config.HALLEY_TRUST_X_FORWARDED_FOR || !req.headers['x-forwarded-proto']) {
      req.headers['x-forwarded-proto'] = 'http';
      delete req.headers['x-forwarded-host'];
    }
    // The admin API goes straight to the registry (which bounds its own bodies while reading them and
    // answers in Comet's shape); everything else (console pages, actions, sign-in, assets) to Next.
    if (req.url?.startsWith(API_PREFIX)) return void handleApiNode(req, res).catch((err) => failed(err, req, res));
    // The Storage Role's object API streams bucket objects (bucket-key auth, its own size limit).
    if (req.url?.startsWith(STORAGE_PREFIX)) return void handleObjectApi(req, res).catch((err) => failed(err, req, res));
    const https = req.headers['x-forwarded-proto'] === 'https';
    for (const [name, value] of Object.entries(consoleSecurityHeaders(https))) res.setHeader(name, value);
    const refusal = bodySizeRefusal(req.headers, config.HALLEY_MAX_BODY_BYTES) ?? crossOriginRefusal(req.method ?? 'GET', req.headers);
    if (refusal) return refuse(req, res, refusal, config.HALLEY_MAX_BODY_BYTES);
    handle(req, res).catch((err) => failed(err, req, res));
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = upgradeHandlerFor(path);
    if (route) return route(req, socket, head);
    // Next's dev server uses a websocket for hot reload; in production unknown upgrades would hang.
    if (nextUpgrade && path.startsWith('/_next/')) return void nextUpgrade(req, socket, head);
    socket.destroy();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  log.info({ url: `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}` }, 'Halley web listening');

  // SIGTERM drains: /readyz answers 503 at once (load balancers take the node out during
  // HALLEY_DRAIN_DELAY_SECONDS), then the listener closes, devices and event-stream clients are told to reconnect (close code 1012;
  // agents come back after a backoff with full jitter, through the balancer to another node), requests in
  // flight finish (bounded by HALLEY_DRAIN_TIMEOUT_SECONDS), and the process exits.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    startDraining();
    const delayMs = config.HALLEY_DRAIN_DELAY_SECONDS * 1000;
    log.info({ signal, delaySeconds: config.HALLEY_DRAIN_DELAY_SECONDS }, 'web draining');
    setTimeout(() => process.exit(0), delayMs + config.HALLEY_DRAIN_TIMEOUT_SECONDS * 1000).unref();
    setTimeout(() => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      stopEventStreams();
      void Promise.allSettled([closed, stopDeviceSockets()]).then(() => Promise.allSettled([stopTracing(), closeDb()]).finally(() => process.exit(0)));
    }, delayMs);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  log.fatal({ err }, 'web failed to start');
  process.exit(1);
});
