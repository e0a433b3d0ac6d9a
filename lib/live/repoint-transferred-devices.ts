import { defaultLoginUrl } from './default-login-url';
import { relay } from './relay';
import { COMMAND_TIMEOUT_MS } from './send-command';

/**
 * After a user moved to another tenant: live devices are told the new address (update-login-url, then
 * dropped so they reconnect bound to the new tenant); the ones not connected are returned.
 */
export async function repointTransferredDevices(opts: { accountId: string; tenantId: string; devices: Array<{ DeviceID: string; FriendlyName: string }>; requestHost?: string }): Promise<Array<{ DeviceID: string; FriendlyName: string }>> {
  const url = await defaultLoginUrl(opts.tenantId, opts.requestHost);
  const offline: Array<{ DeviceID: string; FriendlyName: string }> = [];
  for (const d of opts.devices) {
    const conn = await relay().connectionOfDevice(opts.accountId, d.DeviceID);
    if (!conn) {
      offline.push(d);
      continue;
    }
    // A device that accepted the new address reconnects by itself; otherwise it is dropped so that it
    // reconnects bound to the new tenant. Only a device that answered neither counts as not told.
    const moved = url ? await relay().command(conn, { type: 'update-login-url', newUrl: url, force: false }, COMMAND_TIMEOUT_MS).catch(() => null) : null;
    const dropped = moved?.ok ? null : await relay().command(conn, { type: 'drop-connection' }, 5000).catch(() => null);
    if (!moved?.ok && !dropped?.ok) offline.push(d);
  }
  return offline;
}
