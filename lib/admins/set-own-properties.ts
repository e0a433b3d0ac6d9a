// AdminAccountSetProperties: the calling admin's own security settings (AdminSecurityOptions).
//   - Password: PasswordFormat 0 (plain text) with the new password; needs the current password in
//     this request (Password auth, or Password next to the SessionKey) and no PreventChangePassword.
//     An empty Password keeps the current one; a password hash can't be set.
//   - AllowPasswordAndTOTPLogin=false switches TOTP off (secret and recovery codes deleted); true
//     needs a secret confirmed by account/validate-totp. TOTPKey itself can't be set here (as in Comet).
//   - AllowPasswordAndWebAuthnLogin=true needs a registered key. WebAuthnRegistrations, when given,
//     lists the keys to keep (by ID) and may rename them; keys left out are removed.
//   - IPWhitelist: a regular expression that must match the address of this very call (no lock-out).
// Secrets are never read from here: TOTPKey, U2F data and credential public keys are ignored.
import { hashPassword } from '../credentials/password';
import { validateIpWhitelist, addressAllowed } from '../auth/ip-allow-list';
import { passwordSignInAllowed } from '../auth/second-factor';
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import { emitEvent } from '../events/emit';
import type { AdminActor } from '../tenancy/actor';
import { requirePermission } from '../tenancy/permissions';
import { checkNewPassword } from '../validation/check-new-password';
import { removeWebAuthnCredentials } from './remove-webauthn-credentials';
import { apiMessage } from '../i18n/api-messages';

type Security = Record<string, unknown>;

const PASSWORD_FORMAT_PLAINTEXT = 0;

const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

export async function setOwnProperties({ actor, security, clientIp }: { actor: AdminActor; security: Security; clientIp: string }): Promise<void> {
  // tenancy: own — the admin's own row (actor.adminId)
  const current = await db().adminUser.findUnique({
    where: { id: actor.adminId },
    select: {
      allowPasswordLogin: true,
      allowPasswordAndTotpLogin: true,
      allowPasswordAndWebAuthnLogin: true,
      totpSecret: true,
      ipWhitelist: true,
      externalAuthSource: true,
      webauthnCredentials: { select: { credentialId: true, description: true } },
    },
  });
  if (!current) throw new NotFoundError(apiMessage('adminAccountNotFound'));
  const data: Record<string, unknown> = {};
  const changes: string[] = [];

  const password = typeof security.Password === 'string' ? security.Password : '';
  if (password !== '') {
    if (security.PasswordFormat !== PASSWORD_FORMAT_PLAINTEXT) {
      throw new BadRequestError(apiMessage('passwordFormatPlainOnly'));
    }
    requirePermission(actor, 'account.change-password');
    if (current.externalAuthSource) throw new BadRequestError(apiMessage('passwordExternalSource'));
    if (!actor.passwordVerified) {
      throw new ForbiddenError(apiMessage('passwordChangeNeedsCurrent'));
    }
    await checkNewPassword(password);
    data.passwordHash = await hashPassword(password);
    data.requirePasswordChange = false;
    changes.push('password');
  }

  const next = {
    allowPasswordLogin: bool(security.AllowPasswordLogin) ?? current.allowPasswordLogin,
    allowPasswordAndTotpLogin: bool(security.AllowPasswordAndTOTPLogin) ?? current.allowPasswordAndTotpLogin,
    allowPasswordAndWebAuthnLogin: bool(security.AllowPasswordAndWebAuthnLogin) ?? current.allowPasswordAndWebAuthnLogin,
    totpSecret: current.totpSecret,
  };
  if (next.allowPasswordLogin !== current.allowPasswordLogin) (data.allowPasswordLogin = next.allowPasswordLogin), changes.push('allow-password');
  const totpOn = current.allowPasswordAndTotpLogin && !!current.totpSecret;
  if (next.allowPasswordAndTotpLogin && !totpOn) {
    throw new BadRequestError(apiMessage('totpEnableByCode'));
  }
  const totpOff = !next.allowPasswordAndTotpLogin && (current.allowPasswordAndTotpLogin || !!current.totpSecret);
  if (totpOff) {
    Object.assign(data, { allowPasswordAndTotpLogin: false, totpSecret: null, totpPendingSecret: null });
    next.totpSecret = null;
    changes.push('totp-disabled');
  }

  // Keys to keep / rename (a null or absent list keeps them all).
  const regs = Array.isArray(security.WebAuthnRegistrations) ? (security.WebAuthnRegistrations as Array<Record<string, unknown>>) : undefined;
  const wireId = (credentialId: string) => Buffer.from(credentialId, 'base64url').toString('base64');
  const keep = regs ? current.webauthnCredentials.filter((c) => regs.some((r) => r.ID === wireId(c.credentialId))) : current.webauthnCredentials;
  const renames = (regs ?? [])
    .map((r) => ({ cred: current.webauthnCredentials.find((c) => wireId(c.credentialId) === r.ID), description: typeof r.Description === 'string' ? r.Description.trim().slice(0, 100) : '' }))
    .filter((x) => x.cred && x.description !== '' && x.description !== x.cred.description);
  if (next.allowPasswordAndWebAuthnLogin && keep.length === 0) {
    if (security.AllowPasswordAndWebAuthnLogin === true) {
      throw new BadRequestError(apiMessage('webauthnLoginNeedsKey'));
    }
    next.allowPasswordAndWebAuthnLogin = false;
  }
  if (next.allowPasswordAndWebAuthnLogin !== current.allowPasswordAndWebAuthnLogin) {
    data.allowPasswordAndWebAuthnLogin = next.allowPasswordAndWebAuthnLogin;
    changes.push(next.allowPasswordAndWebAuthnLogin ? 'webauthn-enabled' : 'webauthn-disabled');
  }

  if (typeof security.IPWhitelist === 'string' && security.IPWhitelist !== current.ipWhitelist) {
    const pattern = security.IPWhitelist;
    validateIpWhitelist(pattern);
    if (clientIp !== '' && !addressAllowed(pattern, clientIp)) {
      throw new BadRequestError(apiMessage('ipAllowListLocksOut', { ip: String(clientIp) }));
    }
    data.ipWhitelist = pattern;
    changes.push('ip-whitelist');
  }

  if (!current.externalAuthSource && !passwordSignInAllowed(next)) {
    throw new BadRequestError(apiMessage('signInMethodRequired'));
  }

  const removing = regs ? current.webauthnCredentials.length - keep.length : 0;
  if (changes.length === 0 && removing === 0 && renames.length === 0) return;
  await db().$transaction(async (tx) => {
    // tenancy: own — the admin's own row (actor.adminId)
    if (Object.keys(data).length) await tx.adminUser.update({ where: { id: actor.adminId }, data });
    if (totpOff) await tx.adminRecoveryCode.deleteMany({ where: { adminId: actor.adminId } });
    if (regs && removing > 0) {
      await removeWebAuthnCredentials(tx, actor.adminId, { keepWireIds: keep.map((c) => wireId(c.credentialId)) });
      changes.push('webauthn-removed');
    }
    for (const r of renames) {
      await tx.adminWebAuthnCredential.updateMany({ where: { adminId: actor.adminId, credentialId: r.cred!.credentialId }, data: { description: r.description } });
    }
    if (renames.length) changes.push('webauthn-renamed');
    await emitEvent(tx, actor, { tenantId: actor.tenantId, type: SEVT.SEVT_ACCOUNT_ADMIN_UPDATED, resourceId: actor.username, data: { Username: actor.username, Changes: changes } });
  });
}
