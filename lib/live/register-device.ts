// A device that signs in with its account's password is registered in that account's profile the
// first time (SEVT_DEVICE_NEW), as Comet does; later its reported version and platform are kept current.
import { StreamableEventType as SEVT } from '../comet/constants';
import { db, isUniqueViolation } from '../db/client';
import { emitEvent } from '../events/emit';
import { log } from '../log';
import { createAutomaticVault } from '../storage/templates/create-automatic-vault';
import { lockAccount } from '../users/find-account';
import { deviceActor, type DeviceBinding } from './binding';
import type { TDeviceInfo } from './protocol';

export class DeviceLimitError extends Error {}

export async function ensureRegisteredDevice(
  account: { id: string; tenantId: string; username: string },
  device: TDeviceInfo,
  /** The http(s):// address the device reached this server at (a Storage Role vault made for it points there). */
  selfAddress = '',
): Promise<DeviceBinding> {
  const binding: DeviceBinding = { tenantId: account.tenantId, accountId: account.id, username: account.username, deviceId: device.deviceId };
  // tenancy: derived — the account the device just signed in as, or one the admin reached with tenantWhere
  const existing = await db().device.findUnique({
    where: { accountId_deviceId: { accountId: account.id, deviceId: device.deviceId } },
    select: { id: true, clientVersion: true, data: true },
  });
  const platform = { ...device.platformVersion };
  if (existing) {
    const data = (existing.data ?? {}) as Record<string, unknown>;
    if (existing.clientVersion !== device.version || JSON.stringify(data.PlatformVersion ?? {}) !== JSON.stringify(platform)) {
      // tenancy: derived — the account the device just signed in as, or one the admin reached with tenantWhere
      await db().device.update({ where: { id: existing.id }, data: { clientVersion: device.version, data: { ...data, PlatformVersion: platform } } });
    }
    return binding;
  }
  try {
    await registerNew(account, device, binding, platform);
  } catch (err) {
    // The same device connecting twice at once: the other connection registered it.
    if (!isUniqueViolation(err)) throw err;
    return binding;
  }
  // Storage templates (issue 14): the policy's automatic vault. A failure is logged; the device stays registered.
  await createAutomaticVault({ actor: deviceActor(binding), selfAddress, deviceId: device.deviceId }).catch((err) => log.warn({ err, username: account.username, deviceId: device.deviceId }, 'could not create the automatic storage vault'));
  return binding;
}

async function registerNew(account: { id: string; tenantId: string; username: string }, device: TDeviceInfo, binding: DeviceBinding, platform: Record<string, string | undefined>): Promise<void> {
  await db().$transaction(async (tx) => {
    await lockAccount(tx, account.id);
    // tenancy: derived — the account the device just signed in as, or one the admin reached with tenantWhere
    const limits = await tx.account.findUniqueOrThrow({ where: { id: account.id }, select: { maximumDevices: true, _count: { select: { devices: true } } } });
    if (limits.maximumDevices > 0n && BigInt(limits._count.devices) >= limits.maximumDevices) {
      throw new DeviceLimitError(`The account already has its maximum of ${limits.maximumDevices} devices`);
    }
    await tx.device.create({
      data: {
        tenantId: account.tenantId,
        accountId: account.id,
        deviceId: device.deviceId,
        friendlyName: device.friendlyName,
        registrationTime: BigInt(Math.floor(Date.now() / 1000)),
        clientVersion: device.version,
        timezone: device.timezone,
        data: { PlatformVersion: platform },
        position: limits._count.devices,
      },
    });
    await emitEvent(tx, deviceActor(binding), {
      tenantId: account.tenantId,
      type: SEVT.SEVT_DEVICE_NEW,
      resourceId: device.deviceId,
      data: { Username: account.username, DeviceID: device.deviceId, FriendlyName: device.friendlyName },
    });
  });
}
