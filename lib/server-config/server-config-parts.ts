// ServerConfigOptions is assembled from the places Halley keeps each part (one source of truth each):
//   SelfBackup       lib/self-backup (sealed ServerSetting)
//   LoginProtection  lib/auth/login-protection-settings
//   Email            the top-level organization's EmailOptions (lib/email)
//   WebhookOptions   the top-level organization's webhooks (lib/webhooks)
//   PSAConfigs       the top-level organization's PSA list (lib/psa; admin/meta/psa-config-list/get|set)
//   Branding, Organizations  the organizations (read-only here: organization/set changes them)
// Every other field is kept as the last server-config/set sent it (ROUND_TRIP_SETTING), so a client that
// reads, edits and writes the whole document loses nothing.
export const ROUND_TRIP_SETTING = 'server-config-round-trip';
export const APPLIED = ['SelfBackup', 'LoginProtection', 'Email', 'WebhookOptions', 'PSAConfigs'] as const;
export const DERIVED = ['Branding', 'Organizations'] as const;
