// One permission table, used by the endpoint registry (who may call) and by domain functions
// (what may change). Comet expresses permissions as AdminUserPermissions flags: some deny
// (Prevent*/Deny*), some grant (Allow*). Top-level admins are bound by them too, except where noted.
import { ForbiddenError } from '../errors';
import { apiMessage } from '../i18n/api-messages';
import type { AdminActor } from './actor';

export type Permission =
  | 'server.settings'
  | 'admins.manage'
  | 'account.change-password'
  | 'branding.edit'
  | 'email.edit'
  | 'webhooks.edit'
  | 'remote-storage.edit'
  | 'external-auth.edit'
  | 'server.history'
  | 'server.info'
  | 'server.shutdown'
  | 'constellation.role';

type Rule = { deny?: string; allow?: string };

const RULES: Record<Permission, Rule> = {
  'server.settings': { deny: 'PreventEditServerSettings' },
  // Comet gates admin-user/* on the same switch as other server settings.
  'admins.manage': { deny: 'PreventEditServerSettings' },
  'account.change-password': { deny: 'PreventChangePassword' },
  'branding.edit': { allow: 'AllowEditBranding' },
  'email.edit': { allow: 'AllowEditEmailOptions' },
  'webhooks.edit': { allow: 'AllowEditWebhooks' },
  'remote-storage.edit': { allow: 'AllowEditRemoteStorage' },
  'external-auth.edit': { allow: 'AllowEditExternalAuthSources' },
  'server.history': { deny: 'DenyViewServerHistory' },
  'server.info': { deny: 'DenyViewServerInfo' },
  'server.shutdown': { deny: 'PreventServerShutdown' },
  'constellation.role': { deny: 'DenyConstellationRole' },
};

export function can(actor: AdminActor, permission: Permission): boolean {
  const rule = RULES[permission];
  if (rule.deny && actor.permissions[rule.deny] === true) return false;
  // Allow* flags are opt-in for tenant admins; top-level admins hold them implicitly.
  if (rule.allow && !actor.isTopLevel && actor.permissions[rule.allow] !== true) return false;
  return true;
}

export function requirePermission(actor: AdminActor, permission: Permission): void {
  if (!can(actor, permission)) throw new ForbiddenError(apiMessage('missingPermission', { permission }));
}
