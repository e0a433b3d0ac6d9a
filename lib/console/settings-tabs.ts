import type { AdminActor } from '../tenancy/actor';
import { can } from '../tenancy/permissions';
import type { SettingsTab } from '../../components/console/settings/SettingsTabs';

/** The settings tabs an admin may open: server security (top level), webhooks (AllowEditWebhooks), events (all). */
export function settingsTabsFor(admin: AdminActor): SettingsTab[] {
  const tabs: SettingsTab[] = [];
  if (admin.isTopLevel && can(admin, 'server.settings')) tabs.push('security');
  if (can(admin, 'webhooks.edit')) tabs.push('integrations');
  tabs.push('events');
  return tabs;
}
