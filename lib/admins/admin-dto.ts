// AllowedAdminUser / AdminSecurityOptions as Comet shapes them, with every secret left out:
// Password and TOTPKey are always empty, WebAuthn registrations carry only public metadata.
import type { Prisma } from '../generated/prisma/client';
import { wireOrganizationId } from '../tenancy/actor';
import { PASSWORD_FORMAT_HALLEY_SCRYPT, shapeWire } from '../profile/mapper';

export const ADMIN_DTO_SELECT = {
  id: true,
  username: true,
  tenantId: true,
  externalAuthSource: true,
  allowPasswordLogin: true,
  allowPasswordAndTotpLogin: true,
  allowPasswordAndWebAuthnLogin: true,
  requirePasswordChange: true,
  ipWhitelist: true,
  permissions: true,
  webauthnCredentials: { select: { credentialId: true, description: true, createdAt: true, lastUsedAt: true }, orderBy: { createdAt: 'asc' } },
} satisfies Prisma.AdminUserSelect;

type AdminRow = Prisma.AdminUserGetPayload<{ select: typeof ADMIN_DTO_SELECT }>;

export function securityOptions(admin: AdminRow) {
  return {
    PasswordFormat: PASSWORD_FORMAT_HALLEY_SCRYPT,
    Password: '',
    AllowPasswordLogin: admin.allowPasswordLogin,
    AllowPasswordAndTOTPLogin: admin.allowPasswordAndTotpLogin,
    AllowPasswordAndU2FLogin: false,
    AllowPasswordAndWebAuthnLogin: admin.allowPasswordAndWebAuthnLogin,
    ...(admin.webauthnCredentials.length
      ? {
          // ID is Go's []byte (standard base64) of the credential id; LastUsedTime is Halley's addition.
          WebAuthnRegistrations: admin.webauthnCredentials.map((c) => ({
            Description: c.description,
            RegisterTime: Math.floor(c.createdAt.getTime() / 1000),
            Type: 0,
            ID: Buffer.from(c.credentialId, 'base64url').toString('base64'),
            LastUsedTime: c.lastUsedAt ? Math.floor(c.lastUsedAt.getTime() / 1000) : 0,
          })),
        }
      : {}),
    RequirePasswordChange: admin.requirePasswordChange,
    ...(admin.ipWhitelist ? { IPWhitelist: admin.ipWhitelist } : {}),
  };
}

export function allowedAdminUser(admin: AdminRow): Record<string, unknown> {
  const { PasswordFormat, Password, ...security } = securityOptions(admin);
  return shapeWire('AllowedAdminUser', {
    Username: admin.username,
    OrganizationID: wireOrganizationId(admin.tenantId),
    ...(admin.externalAuthSource ? { ExternalAuthenticationSource: admin.externalAuthSource } : {}),
    PasswordFormat,
    Password,
    ...security,
    Permissions: admin.permissions ?? {},
  }) as Record<string, unknown>;
}
