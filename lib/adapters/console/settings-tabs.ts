import type { AdminActor } from '../../tenancy/actor';
import { can } from '../../tenancy/permissions';

export type SettingsTab = 'security' | 'email' | 'integrations' | 'events' | 'self-backup' | 'logs' | 'storage' | 'branding';
export const SETTINGS_TAB_HREF: Record<SettingsTab, string> = { security: '/settings', email: '/settings/email', integrations: '/settings/integrations', events: '/settings/events', 'self-backup': '/settings/self-backup', logs: '/settings/logs', storage: '/settings/storage', branding: '/settings/branding' };

/** The settings tabs an admin may open: server security (top level), email (AllowEditEmailOptions), webhooks (AllowEditWebhooks), events (all). */
export function settingsTabsFor(admin: AdminActor): SettingsTab[] {
  const tabs: SettingsTab[] = [];
  if (admin.isTopLevel && can(admin, 'server.settings')) tabs.push('security');
  if (can(admin, 'email.edit')) tabs.push('email');
  if (can(admin, 'webhooks.edit')) tabs.push('integrations');
  tabs.push('events');
  // Server operations (issue 17): top-level administrators only, as their endpoints.
  if (admin.isTopLevel && can(admin, 'server.settings')) tabs.push('self-backup');
  if (admin.isTopLevel) tabs.push('logs');
  // Storage templates (issue 14): AllowEditRemoteStorage, as their endpoints.
  if (can(admin, 'remote-storage.edit')) tabs.push('storage');
  // Branding (issue 19): AllowEditBranding, as its endpoints.
  if (can(admin, 'branding.edit')) tabs.push('branding');
  return tabs;
}
