// Websocket endpoints served on the web process's HTTP server (see server.ts). The admin event
// stream (/api/v1/events/stream) and the device live-connection endpoint register here.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const routes = new Map<string, UpgradeHandler>();

export function registerUpgrade(path: string, handler: UpgradeHandler): void {
  if (routes.has(path)) throw new Error(`Websocket route ${path} registered twice`);
  routes.set(path, handler);
}

export function upgradeHandlerFor(path: string): UpgradeHandler | undefined {
  return routes.get(path);
}
