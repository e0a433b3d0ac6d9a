// Device tokens: issued when a device signs in with the account password (or is registered from the
// lobby), used for every later connection so the password need not be kept on the device. Stateless:
// an HMAC of (account, device) under the server key; it is valid while that device is registered in
// that account, so revoking the device (or deleting the account) ends it.
import { timingSafeEqual } from 'node:crypto';
import { keyedDigest } from '../secrets';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

function mac(accountId: string, deviceId: string): string {
  return keyedDigest(`halley-device-token\u0000${accountId}\u0000${deviceId}`);
}

export function issueDeviceToken(accountId: string, deviceId: string): string {
  return `v1.${b64(accountId)}.${b64(deviceId)}.${mac(accountId, deviceId)}`;
}

export function readDeviceToken(token: string): { accountId: string; deviceId: string } | null {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return null;
  const accountId = Buffer.from(parts[1], 'base64url').toString('utf8');
  const deviceId = Buffer.from(parts[2], 'base64url').toString('utf8');
  const want = Buffer.from(mac(accountId, deviceId));
  const got = Buffer.from(parts[3]);
  return got.length === want.length && timingSafeEqual(got, want) ? { accountId, deviceId } : null;
}
