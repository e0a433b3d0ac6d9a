// TOTP for admins over the API: regenerate → validate switches it on, PasswordTOTP signs in,
// ERR_TOTP_REQUIRED without the code, recovery codes work once, sessions can't skip the factor.
import { describe, expect, it } from 'vitest';
import { client } from '../helpers/fixtures';
import { StreamableEventType as SEVT } from '../../lib/comet/constants';
import { enableTotp, eventsFor, makeAdmin, totpCode } from '../helpers/security';

describe('admin TOTP', () => {
  it('regenerate-totp returns a PNG QR code, the otpauth URL and the secret; nothing changes until validate-totp', async () => {
    const admin = await makeAdmin('totp');
    const c = client(admin);
    const r = await c.ok('/api/v1/admin/account/regenerate-totp');
    expect(r.Status).toBe(200);
    expect(r.Image).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]{200,}$/);
    expect(r.URL).toMatch(new RegExp(`^otpauth://totp/.*${admin.username}.*secret=${r.Secret}`));
    expect(r.Secret).toMatch(/^[A-Z2-7]{16,}$/);
    // Not enforced yet: the password alone still works.
    const props = await c.ok('/api/v1/admin/account/properties');
    expect(props.Security.AllowPasswordAndTOTPLogin).toBe(false);
    expect(JSON.stringify(props)).not.toContain(r.Secret);
    // A wrong code is refused with a clear message and changes nothing.
    const wrong = await c.fails('/api/v1/admin/account/validate-totp', { TOTPCode: '000000' });
    expect(wrong.Status).toBe(400);
    expect(wrong.Message).toMatch(/Incorrect TOTP code/);
    expect((await c.fails('/api/v1/admin/account/validate-totp', { TOTPCode: 'abc' })).Message).toMatch(/6-digit/);
    await c.ok('/api/v1/admin/meta/version');
  });

  it('once validated, the password alone gets ERR_TOTP_REQUIRED and PasswordTOTP signs in', async () => {
    const admin = await makeAdmin('totp');
    const { secret, recoveryCodes } = await enableTotp(admin);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const noCode = await client(admin).fails('/api/v1/admin/meta/version');
    expect(noCode).toEqual({ Status: 403, Message: 'ERR_TOTP_REQUIRED' });
    // PasswordTOTP without a code is the same marker.
    expect((await client({ ...admin, totp: ' ' }).fails('/api/v1/admin/meta/version')).Message).toMatch(/ERR_TOTP_REQUIRED|Incorrect TOTP/);
    const ok = await client({ ...admin, totp: await totpCode(secret) }).ok('/api/v1/admin/account/properties');
    expect(ok.Security.AllowPasswordAndTOTPLogin).toBe(true);
    expect(ok.Security.TOTPKey ?? '').toBe('');
    expect((await client({ ...admin, totp: '123456' === (await totpCode(secret)) ? '654321' : '123456' }).fails('/api/v1/admin/meta/version')).Message).toBe('Incorrect TOTP code');
    // The wrong password with a right code is still just a wrong password.
    expect((await client({ username: admin.username, password: 'nope', totp: await totpCode(secret) }).fails('/api/v1/admin/meta/version')).Message).toBe(
      'Incorrect username or password',
    );
  });

  it('a recovery code works once in place of a TOTP code', async () => {
    const admin = await makeAdmin('totp');
    const { recoveryCodes } = await enableTotp(admin);
    const code = recoveryCodes[3];
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    await client({ ...admin, totp: code.toLowerCase() }).ok('/api/v1/admin/meta/version');
    expect((await client({ ...admin, totp: code }).fails('/api/v1/admin/meta/version')).Message).toBe('Incorrect TOTP code');
    await client({ ...admin, totp: recoveryCodes[4] }).ok('/api/v1/admin/meta/version');
  });

  it('a session started before TOTP was switched on needs the factor; session-upgrade makes it whole', async () => {
    const admin = await makeAdmin('totp');
    const early = (await client(admin).ok('/api/v1/admin/account/session-start')).SessionKey;
    const other = (await client(admin).ok('/api/v1/admin/account/session-start')).SessionKey;
    // validate-totp through a session upgrades that very session (the code was just proven).
    const bySession = client({ username: admin.username, sessionKey: early });
    const regen = await bySession.ok('/api/v1/admin/account/regenerate-totp');
    await bySession.ok('/api/v1/admin/account/validate-totp', { TOTPCode: await totpCode(regen.Secret) });
    await bySession.ok('/api/v1/admin/meta/version');
    // The other session never saw the factor.
    const pending = client({ username: admin.username, sessionKey: other });
    expect((await pending.fails('/api/v1/admin/meta/version')).Message).toBe('ERR_TOTP_REQUIRED');
    expect((await pending.fails('/api/v1/admin/account/session-upgrade', { SessionKey: other })).Message).toBe('ERR_TOTP_REQUIRED');
    // Upgrade it with PasswordTOTP credentials, the key as parameter.
    await client({ ...admin, totp: await totpCode(regen.Secret) }).ok('/api/v1/admin/account/session-upgrade', { SessionKey: other });
    await pending.ok('/api/v1/admin/meta/version');
    // Another admin's key can't be upgraded by this one.
    const stranger = await makeAdmin('totp');
    const foreignKey = (await client(stranger).ok('/api/v1/admin/account/session-start')).SessionKey;
    expect((await client({ ...admin, totp: await totpCode(regen.Secret) }).fails('/api/v1/admin/account/session-upgrade', { SessionKey: foreignKey })).Status).toBe(404);
  });

  it('wrong codes sent with a session key that predates TOTP count as failed sign-ins (no unlimited guessing)', async () => {
    const admin = await makeAdmin('totp');
    const key = (await client(admin).ok('/api/v1/admin/account/session-start')).SessionKey;
    const { secret } = await enableTotp(admin);
    const pending = client({ username: admin.username, sessionKey: key });
    const wrong = (Number(await totpCode(secret)) + 1) % 1_000_000;
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push((await pending.fails('/api/v1/admin/meta/version', { TOTP: String(wrong).padStart(6, '0') })).Message);
    expect(answers.slice(0, 5)).toEqual(Array(5).fill('Incorrect TOTP code'));
    expect(answers[5]).toMatch(/Too many failed sign-in attempts/);
    // Locked: the right code is refused too, until the cooldown ends.
    expect((await pending.fails('/api/v1/admin/meta/version', { TOTP: await totpCode(secret) })).Message).toMatch(/Too many failed sign-in attempts/);
    const failed = await eventsFor(admin.username, SEVT.SEVT_ACCOUNT_ADMIN_LOGIN_FAILED);
    expect(failed.map((e) => e.data.Reason)).toEqual(Array(5).fill('wrong totp'));
  });

  it('a session started with PasswordTOTP needs no code afterwards; with SessionKey + TOTP a pending key works for one call', async () => {
    const admin = await makeAdmin('totp');
    const { secret } = await enableTotp(admin);
    const key = (await client({ ...admin, totp: await totpCode(secret) }).ok('/api/v1/admin/account/session-start')).SessionKey;
    await client({ username: admin.username, sessionKey: key }).ok('/api/v1/admin/meta/version');
    // Switching TOTP off (through set-properties) and on again leaves that session alone.
    const c = client({ username: admin.username, sessionKey: key });
    await c.ok('/api/v1/admin/account/set-properties', { Security: { AllowPasswordAndTOTPLogin: false, AllowPasswordLogin: true } });
    expect((await c.ok('/api/v1/admin/account/properties')).Security.AllowPasswordAndTOTPLogin).toBe(false);
    await client(admin).ok('/api/v1/admin/meta/version');
    // Turning it on without validate-totp is refused with directions.
    expect((await c.fails('/api/v1/admin/account/set-properties', { Security: { AllowPasswordAndTOTPLogin: true } })).Message).toMatch(/regenerate-totp/);
  });
});
