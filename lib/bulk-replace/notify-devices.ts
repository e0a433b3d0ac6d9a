// After a replace or undo: every online device of a changed account is told to fetch its profile again,
// so it uses the new address without waiting for its next sign-in. Best effort: an offline or silent
// device picks the profile up when it next connects.
import { db } from '../db/client';
import { relay } from '../live/relay';
import { sendCommand } from '../live/send-command';

const NOTIFY_TIMEOUT_MS = 5_000;

export async function notifyDevices(accountIds: string[]): Promise<number> {
  if (accountIds.length === 0) return 0;
  // tenancy: derived — the accounts were changed in the caller's scope moments ago
  const devices = await db().device.findMany({ where: { accountId: { in: accountIds } }, select: { accountId: true, deviceId: true } });
  let told = 0;
  for (const d of devices) {
    const conn = await relay().connectionOfDevice(d.accountId, d.deviceId);
    if (!conn) continue;
    try {
      await sendCommand(conn, { type: 'refetch-profile' }, NOTIFY_TIMEOUT_MS);
      told++;
    } catch {
      // The device refetches at its next connection anyway.
    }
  }
  return told;
}
