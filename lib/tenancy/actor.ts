// The Actor is resolved once per request (lib/auth/authenticate.ts) and passed to every domain
// function. Domain code never reads tenant ids from request parameters directly: it asks
// lib/tenancy for the where fragment or the tenant to create in.

export const TOP_LEVEL_TENANT_ID = '00000000-0000-0000-0000-000000000000';

export type AuthMethod = 'Password' | 'PasswordTOTP' | 'PasswordWebAuthn' | 'SessionKey' | 'Console' | 'None';

/** Comet AdminUserPermissions, as stored on the admin. */
export type AdminPermissions = Record<string, unknown>;

export type AdminActor = {
  kind: 'admin';
  adminId: string;
  username: string;
  tenantId: string;
  isTopLevel: boolean;
  permissions: AdminPermissions;
  authMethod: AuthMethod;
  sessionId?: string;
  /** A second factor (TOTP, recovery code, WebAuthn) was given in this request or upgraded the session. */
  secondFactor?: boolean;
  /** The account password was checked in this request (Password* auth, or SessionKey plus Password). */
  passwordVerified?: boolean;
};

export type UserActor = {
  kind: 'user';
  accountId: string;
  username: string;
  tenantId: string;
  authMethod: AuthMethod;
  sessionId?: string;
};

/**
 * Only add-first-admin-user runs without credentials; client downloads may too (public downloads, or a
 * registered device fetching its own update with its device token: `device` names it).
 */
export type AnonymousActor = { kind: 'anonymous'; device?: { tenantId: string; accountId: string; deviceId: string } };

export type Actor = AdminActor | UserActor | AnonymousActor;

/**
 * A tenant itself as the one who sees (the owner of a webhook or of an organization-wide email report, no
 * admin involved): it sees what its admins would, so the top-level tenant sees every tenant's rows.
 */
export type TenantViewer = { kind: 'tenant'; tenantId: string; isTopLevel: boolean };

export function tenantViewer(tenantId: string): TenantViewer {
  return { kind: 'tenant', tenantId, isTopLevel: tenantId === TOP_LEVEL_TENANT_ID };
}

/** The name recorded as a StreamableEvent's Actor. */
export function actorName(actor: Actor): string {
  return actor.kind === 'anonymous' ? 'system' : actor.username;
}

/** Comet shows the top-level organization as an empty OrganizationID. */
export function wireOrganizationId(tenantId: string): string {
  return tenantId === TOP_LEVEL_TENANT_ID ? '' : tenantId;
}
