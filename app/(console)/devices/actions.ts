'use server';
// Devices: every action is a registry call with the signed-in admin's session (API-first).
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

/** The dispatcher commands the device actions dialog offers, by Comet endpoint. */
const COMMANDS = {
  'run-backup': '/api/v1/admin/dispatcher/run-backup',
  'run-backup-custom': '/api/v1/admin/dispatcher/run-backup-custom',
  'run-restore': '/api/v1/admin/dispatcher/run-restore',
  'apply-retention-rules': '/api/v1/admin/dispatcher/apply-retention-rules',
  'ping-destination': '/api/v1/admin/dispatcher/ping-destination',
  'refetch-profile': '/api/v1/admin/dispatcher/refetch-profile',
  'update-software': '/api/v1/admin/dispatcher/update-software',
  'update-login-url': '/api/v1/admin/dispatcher/update-login-url',
  'drop-connection': '/api/v1/admin/dispatcher/drop-connection',
  'kill-process': '/api/v1/admin/dispatcher/kill-process',
  'force-login': '/api/v1/admin/dispatcher/force-login',
  'uninstall-software': '/api/v1/admin/dispatcher/uninstall-software',
} as const;

export type DeviceCommand = keyof typeof COMMANDS;
export type CommandAnswer = { Status: number; Message: string; JobID?: string };

export async function sendDeviceCommand(command: DeviceCommand, params: Record<string, string | boolean | object>): Promise<ActionResult<CommandAnswer>> {
  const path = COMMANDS[command];
  if (!path) return { ok: false, message: 'Unknown command' };
  return apiAction<CommandAnswer>(path, params);
}

export type ProfileChoices = { rules: Array<{ id: string; name: string }>; items: Array<{ id: string; name: string }>; vaults: Array<{ id: string; name: string }> };

/** What the actions dialog lets the admin choose from: the account's backup rules, protected items and vaults. */
export async function profileChoices(username: string): Promise<ActionResult<ProfileChoices>> {
  const res = await apiAction<Record<string, Record<string, { Description?: string }>>>('/api/v1/admin/get-user-profile', { TargetUser: username });
  if (!res.ok) return res;
  const list = (m: Record<string, { Description?: string }> | undefined) => Object.entries(m ?? {}).map(([id, v]) => ({ id, name: v.Description || id }));
  return { ok: true, data: { rules: list(res.data.BackupRules), items: list(res.data.Sources), vaults: list(res.data.Destinations) } };
}

export async function cancelJob(username: string, jobId: string): Promise<ActionResult> {
  return apiAction('/api/v1/admin/job/cancel', { TargetUser: username, JobID: jobId });
}

export async function abandonJob(username: string, jobId: string): Promise<ActionResult> {
  return apiAction('/api/v1/admin/job/abandon', { TargetUser: username, JobID: jobId });
}

export async function registerLobbyDevice(deviceId: string, username: string, password: string, totpCode = ''): Promise<ActionResult> {
  // The endpoint answers plain text (Comet's []byte); the console only needs to know it worked.
  const res = await apiAction('/api/v1/admin/installation/dispatch/register-device', { DeviceID: deviceId, TargetUser: username, TargetPassword: password, ...(totpCode ? { TargetTOTPCode: totpCode } : {}) });
  return res.ok ? { ok: true, data: null } : res;
}

export async function dropLobbyDevice(deviceId: string): Promise<ActionResult> {
  return apiAction('/api/v1/admin/installation/dispatch/drop-connection', { DeviceID: deviceId });
}
