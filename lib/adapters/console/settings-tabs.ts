import type { AdminActor } from '../../tenancy/actor';
import { can } from '../../tenancy/permissions';

export type SettingsTab = 'security' | 'email' | 'integrations' | 'events';
export const SETTINGS_TAB_HREF: Record<SettingsTab, string> = { security: '/settings', email: '/settings/email', integrations: '/settings/integrations', events: '/settings/events' };

/** The settings tabs an admin may open: server security (top level), email (AllowEditEmailOptions), webhooks (AllowEditWebhooks), events (all). */
export function settingsTabsFor(admin: AdminActor): SettingsTab[] {
  const tabs: SettingsTab[] = [];
  if (admin.isTopLevel && can(admin, 'server.settings')) tabs.push('security');
  if (can(admin, 'email.edit')) tabs.push('email');
  if (can(admin, 'webhooks.edit')) tabs.push('integrations');
  tabs.push('events');
  return tabs;
}
