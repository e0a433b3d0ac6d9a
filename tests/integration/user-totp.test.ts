// End-user TOTP: a profile with TOTPKey and AllowPasswordAndTOTPLogin needs PasswordTOTP with a valid code
// (the password alone gets ERR_TOTP_REQUIRED), the same for a device's first sign-in, and an admin
// registering a lobby device to that user gives TargetTOTPCode.
import { generateSecret } from 'otplib';
import { afterAll, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { liveConnectionId, startAgent, waitFor } from '../helpers/live';
import { halleyUrl } from '../helpers/server';
import { client, makeTenant, makeUser } from '../helpers/fixtures';
import { totpCode } from '../helpers/security';

const agents: AgentDevice[] = [];
afterAll(() => {
  for (const a of agents) a.stop();
});

it('a user with TOTP signs in with password and code only; the secret is never returned', async () => {
  const t = await makeTenant('user-totp');
  const user = await makeUser(t.admin);
  const secret = generateSecret();
  const profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username });
  await t.admin.ok('/api/v1/admin/set-user-profile', {
    TargetUser: user.username,
    ProfileData: { ...profile, TOTPKey: secret, TOTPKeyEncryptionFormat: 0, AllowPasswordAndTOTPLogin: true, AllowPasswordLogin: false },
  });
  const stored = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username });
  expect(JSON.stringify(stored)).not.toContain(secret);
  expect(stored.AllowPasswordAndTOTPLogin).toBe(true);

  const plain = await client({ username: user.username, password: user.password }).fails('/api/v1/user/web/get-user-profile-and-hash');
  expect(plain.Status).toBe(403);
  expect(plain.Message).toBe('ERR_TOTP_REQUIRED');
  const wrong = await client({ username: user.username, password: user.password, totp: '000000' }).fails('/api/v1/user/web/get-user-profile-and-hash');
  expect(wrong.Message).toMatch(/Incorrect TOTP code/);
  const ok = await client({ username: user.username, password: user.password, totp: await totpCode(secret) }).ok('/api/v1/user/web/get-user-profile-and-hash');
  expect(ok.Profile.Username).toBe(user.username);
  // A wrong password with a right code is still refused.
  expect((await client({ username: user.username, password: 'nope', totp: await totpCode(secret) }).fails('/api/v1/user/web/get-user-profile-and-hash')).Status).toBe(403);
});

it("a device of a user with TOTP signs in with the code once, then with its device token", async () => {
  const t = await makeTenant('device-totp');
  const user = await makeUser(t.admin);
  const secret = generateSecret();
  const profile = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username });
  await t.admin.ok('/api/v1/admin/set-user-profile', { TargetUser: user.username, ProfileData: { ...profile, TOTPKey: secret, AllowPasswordAndTOTPLogin: true, AllowPasswordLogin: false } });
  // Without the code the device is refused and does not register.
  const refused = startAgent(halleyUrl(), { username: user.username, password: user.password });
  agents.push(refused);
  await waitFor('the refusal', async () => refused.stoppedReason);
  expect(refused.stoppedReason).toMatch(/ERR_TOTP_REQUIRED|TOTP/);
  const device = startAgent(halleyUrl(), { username: user.username, password: user.password, totp: await totpCode(secret) });
  agents.push(device);
  await liveConnectionId(t.admin, device.state.deviceId);
  expect(device.state.token).toMatch(/^v1\./);
  const registered = await t.admin.ok('/api/v1/admin/get-user-profile', { TargetUser: user.username });
  expect(Object.keys(registered.Devices)).toContain(device.state.deviceId);
  expect(Object.keys(registered.Devices)).not.toContain(refused.state.deviceId);
});

it('an end user sets up TOTP (regenerate, then validate with a code), changes the password, and an admin switches TOTP off', async () => {
  const t = await makeTenant('own-totp');
  const user = await makeUser(t.admin);
  const me = client({ username: user.username, password: user.password });
  const hashOf = async (c = me) => (await c.ok('/api/v1/user/web/get-user-profile-and-hash')).ProfileHash as string;

  // Every change names the hash it was read with.
  expect((await me.fails('/api/v1/user/web/account/regenerate-totp', { ProfileHash: 'stale' })).Status).toBe(409);
  const regen = await me.ok('/api/v1/user/web/account/regenerate-totp', { ProfileHash: await hashOf() });
  expect(regen.Image).toMatch(/^data:image\/png;base64,/);
  const secret = new URL(regen.URL).searchParams.get('secret')!;
  expect(secret).toMatch(/^[A-Z2-7]+$/);
  // Pending only: the password alone still works, and a wrong code is refused.
  expect((await me.fails('/api/v1/user/web/account/validate-totp', { ProfileHash: regen.ProfileHash, TOTPCode: '12345' })).Status).toBe(400);
  expect((await me.fails('/api/v1/user/web/account/validate-totp', { ProfileHash: regen.ProfileHash, TOTPCode: (Number(await totpCode(secret)) ^ 1).toString().padStart(6, '0') })).Message).toMatch(/Incorrect TOTP code/);
  await me.ok('/api/v1/user/web/account/validate-totp', { ProfileHash: await hashOf(), TOTPCode: await totpCode(secret) });
  expect((await me.fails('/api/v1/user/web/get-user-profile-and-hash')).Message).toBe('ERR_TOTP_REQUIRED');
  const withCode = async (password: string) => client({ username: user.username, password, totp: await totpCode(secret) });
  expect((await (await withCode(user.password)).ok('/api/v1/user/web/get-user-profile-and-hash')).Profile.AllowPasswordAndTOTPLogin).toBe(true);

  // The password: the old one must be proven; afterwards only the new one signs in.
  const coded = await withCode(user.password);
  expect((await coded.fails('/api/v1/user/web/account/reset-password', { ProfileHash: await hashOf(coded), OldPassword: 'wrong-old', NewPassword: 'new-password-456' })).Message).toMatch(/OldPassword/);
  await coded.ok('/api/v1/user/web/account/reset-password', { ProfileHash: await hashOf(coded), OldPassword: user.password, NewPassword: 'new-password-456' });
  expect((await (await withCode(user.password)).fails('/api/v1/user/web/get-user-profile-and-hash')).Status).toBe(403);
  await (await withCode('new-password-456')).ok('/api/v1/user/web/get-user-profile-and-hash');

  // Lost authenticator: the admin switches TOTP off; another tenant's admin cannot, and sees no such user.
  const other = await makeTenant('own-totp-other');
  expect(await other.admin.fails('/api/v1/admin/disable-user-totp', { TargetUser: user.username })).toEqual({ Status: 400, Message: `User '${user.username}' was not found` });
  await t.admin.ok('/api/v1/admin/disable-user-totp', { TargetUser: user.username });
  const plain = client({ username: user.username, password: 'new-password-456' });
  expect((await plain.ok('/api/v1/user/web/get-user-profile-and-hash')).Profile.AllowPasswordAndTOTPLogin).toBe(false);
});
