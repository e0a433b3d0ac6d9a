// ServerConfigOptions is assembled from the places Halley keeps each part (one source of truth each):
//   SelfBackup       lib/self-backup (sealed ServerSetting)
//   LoginProtection  lib/auth/login-protection-settings
//   Email            the top-level organization's EmailOptions (lib/email)
//   WebhookOptions   the top-level organization's webhooks (lib/webhooks)
//   Branding         the top-level organization's BrandingOptions (lib/branding; needs AllowEditBranding to change)
//   ConstellationRole  the top-level organization's Constellation Role (lib/constellation; not with DenyConstellationRole)
//   SoftwareBuildRole  the build role's options (lib/server-info/build-role-config.ts)
//   PSAConfigs       the top-level organization's PSA list (lib/psa; admin/meta/psa-config-list/get|set)
//   SessionSettings  the session lifetime (lib/auth/session-settings.ts)
//   HalleyServerLogs Halley's additive field: { RetentionDays } of the daily server log files (lib/server-logs/log-retention.ts)
//   Organizations    the organizations (read-only here: organization/set changes them)
// Every other field is kept as the last server-config/set sent it (ROUND_TRIP_SETTING, secrets sealed apart:
// round-trip-part.ts), so a client that reads, edits and writes the whole document loses nothing.
export const ROUND_TRIP_SETTING = 'server-config-round-trip';
export const APPLIED = ['SelfBackup', 'LoginProtection', 'Email', 'WebhookOptions', 'Branding', 'ConstellationRole', 'SoftwareBuildRole', 'PSAConfigs', 'SessionSettings', 'HalleyServerLogs'] as const;
export const DERIVED = ['Organizations'] as const;
