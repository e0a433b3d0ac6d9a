import type { AdminActor } from '../../tenancy/actor';
import { can } from '../../tenancy/permissions';

export const SETTINGS_TAB_HREF = {
  security: '/settings',
  email: '/settings/email',
  integrations: '/settings/integrations',
  events: '/settings/events',
  'self-backup': '/settings/self-backup',
  logs: '/settings/logs',
  server: '/settings/server',
  storage: '/settings/storage',
  quotas: '/settings/quotas',
  constellation: '/settings/constellation',
  branding: '/settings/branding',
} as const satisfies Record<string, string>;
export type SettingsTab = keyof typeof SETTINGS_TAB_HREF;

/** The settings tabs an admin may open: server security (top level), email (AllowEditEmailOptions), webhooks (AllowEditWebhooks), events (all). */
export function settingsTabsFor(admin: AdminActor): SettingsTab[] {
  const tabs: SettingsTab[] = [];
  if (admin.isTopLevel && can(admin, 'server.settings')) tabs.push('security');
  if (can(admin, 'email.edit')) tabs.push('email');
  // Integrations: webhooks (AllowEditWebhooks) and PSA integrations (issue 18, every admin).
  tabs.push('integrations');
  tabs.push('events');
  // Server operations (issue 17): top-level administrators only, as their endpoints.
  if (admin.isTopLevel && can(admin, 'server.settings')) tabs.push('self-backup');
  if (admin.isTopLevel) tabs.push('logs');
  if (admin.isTopLevel && (can(admin, 'server.settings') || can(admin, 'server.shutdown'))) tabs.push('server');
  // Storage templates (issue 14): AllowEditRemoteStorage, as their endpoints.
  if (can(admin, 'remote-storage.edit')) tabs.push('storage');
  // Shared storage quotas (issue 18): every admin, for the organizations it may see, as admin/squota/*.
  tabs.push('quotas');
  // Constellation (issue 16): each organization's own, unless DenyConstellationRole.
  if (can(admin, 'constellation.role')) tabs.push('constellation');
  // Branding (issue 19): AllowEditBranding, as its endpoints.
  if (can(admin, 'branding.edit')) tabs.push('branding');
  return tabs;
}
