'use server';
// Users: every action is a registry call with the signed-in admin's session (API-first).
import { revalidatePath } from 'next/cache';
import type { ReportOption } from '@/lib/adapters/console/email-reports';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';
import type { EmailPreview } from '../settings/email/actions';
import { validateBackupConfig, type TConfigIssue, type TSealedFields } from '@/lib/profile/validate-backup-config';

type Profile = Record<string, unknown>;

export async function addUser(input: { username: string; password: string; organization?: string; requirePasswordChange: boolean }): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/add-user', {
    TargetUser: input.username,
    TargetPassword: input.password,
    RequirePasswordChange: input.requirePasswordChange ? 1 : 0,
    TargetOrganization: input.organization || undefined,
  });
  if (res.ok) revalidatePath('/users');
  return res;
}

/** Profile fields the console edits; everything else in the profile is kept as it is. */
export type ProfilePatch = Partial<
  Pick<
    Profile,
    'AccountName' | 'Emails' | 'LanguageCode' | 'LocalTimezone' | 'PolicyID' | 'IsSuspended' | 'AllProtectedItemsQuotaEnabled' | 'AllProtectedItemsQuotaBytes' | 'MaximumDevices' | 'SendEmailReports'
  >
>;

/**
 * Saves the edited fields with set-user-profile-hash. `hash` is the one the admin's form was built
 * from: when someone else changed the profile since, nothing is saved and the conflict is reported.
 */
export async function saveProfile(username: string, hash: string, patch: ProfilePatch): Promise<ActionResult<{ hash: string }>> {
  const current = await apiAction<{ Profile: Profile; ProfileHash: string }>('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
  if (!current.ok) return current;
  if (current.data.ProfileHash !== hash) return { ok: false, status: 409, message: 'conflict' };
  const res = await apiAction<{ ProfileHash: string }>('/api/v1/admin/set-user-profile-hash', {
    TargetUser: username,
    ProfileData: { ...current.data.Profile, ...patch },
    RequireHash: hash,
  });
  if (!res.ok) return res.status === 409 ? { ok: false, status: 409, message: 'conflict' } : res;
  revalidatePath(`/users/${encodeURIComponent(username)}`);
  return { ok: true, data: { hash: res.data.ProfileHash } };
}

export async function resetPassword(username: string, password: string): Promise<ActionResult> {
  return apiAction('/api/v1/admin/reset-user-password', { TargetUser: username, NewPassword: password });
}

export async function deleteUser(username: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/delete-user', { TargetUser: username });
  if (res.ok) revalidatePath('/users');
  return res;
}

export async function revokeDevice(username: string, deviceId: string): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/revoke-device', { TargetUser: username, TargetDevice: deviceId });
  if (res.ok) revalidatePath(`/users/${encodeURIComponent(username)}`);
  return res;
}

export async function transferUser(username: string, organization: string): Promise<ActionResult<{ OfflineDevices: Array<{ DeviceID: string; FriendlyName: string }> }>> {
  const res = await apiAction<{ OfflineDevices: Array<{ DeviceID: string; FriendlyName: string }> }>('/api/v1/admin/transfer-user', {
    TargetUser: username,
    TargetOrganization: organization,
  });
  if (res.ok) revalidatePath(`/users/${encodeURIComponent(username)}`);
  return res;
}

type ReportConfig = ReportOption['EmailReportConfig'];

/**
 * Replaces the reports one address of the user receives (OverrideEmailSettings[address]); null goes back
 * to the policy's or Halley's defaults. `before` is what the editor showed: when someone changed that
 * address's reports since, nothing is saved.
 */
export async function saveUserReports(username: string, address: string, before: ReportConfig[] | null, reports: ReportConfig[] | null, changedMessage: string): Promise<ActionResult> {
  const current = await apiAction<{ Profile: Profile; ProfileHash: string }>('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
  if (!current.ok) return current;
  const overrides = { ...((current.data.Profile.OverrideEmailSettings ?? {}) as Record<string, { Reports: ReportConfig[] | null }>) };
  if (JSON.stringify(overrides[address]?.Reports ?? null) !== JSON.stringify(before)) return { ok: false, status: 409, message: changedMessage };
  if (reports === null) delete overrides[address];
  else overrides[address] = { Reports: reports };
  const res = await apiAction('/api/v1/admin/set-user-profile-hash', {
    TargetUser: username,
    ProfileData: { ...current.data.Profile, OverrideEmailSettings: overrides },
    RequireHash: current.data.ProfileHash,
  });
  if (!res.ok) return res.status === 409 ? { ok: false, status: 409, message: changedMessage } : res;
  revalidatePath(`/users/${encodeURIComponent(username)}`);
  return { ok: true, data: null };
}

/** The user's report rendered for one of its addresses (preview-user-email-report). */
export async function previewUserReport(username: string, address: string, config: ReportConfig): Promise<ActionResult<EmailPreview>> {
  return apiAction<EmailPreview>('/api/v1/admin/preview-user-email-report', { TargetUser: username, EmailReportConfig: config, EmailAddress: address });
}

export type BackupSection = 'Destinations' | 'Sources' | 'BackupRules';
export type BackupEntryResult = { hash: string; issues?: undefined } | { hash?: undefined; issues: TConfigIssue[] };

/**
 * Adds, replaces (value) or deletes (null) one Storage Vault, Protected Item or Backup Rule of the
 * profile the admin's editor was built from (`hash`), through set-user-profile-hash. The entry is
 * validated first, required fields included, so each problem comes back for its own field; the API
 * validates again. A vault or item that a rule still uses is not deleted.
 */
export async function saveBackupEntry(username: string, hash: string, section: BackupSection, id: string, value: Record<string, unknown> | null, conflictMessage: string): Promise<ActionResult<BackupEntryResult>> {
  const current = await apiAction<{ Profile: Profile; ProfileHash: string }>('/api/v1/admin/get-user-profile-and-hash', { TargetUser: username });
  if (!current.ok) return current;
  if (current.data.ProfileHash !== hash) return { ok: false, status: 409, message: conflictMessage };
  const profile = current.data.Profile;
  const entries = { ...((profile[section] as Record<string, unknown> | null) ?? {}) };
  const now = Math.floor(Date.now() / 1000);
  if (value === null) {
    delete entries[id];
    if (section !== 'BackupRules') {
      const field = section === 'Destinations' ? 'Destination' : 'Source';
      const users = Object.entries((profile.BackupRules as Record<string, Record<string, unknown>> | null) ?? {}).filter(([, r]) => r[field] === id);
      if (users.length > 0) return { ok: true, data: { issues: [{ section, id, field: [], code: 'inUse', level: 'error', values: { rules: users.map(([rid, r]) => String(r.Description || rid)).join(', ') } }] } };
    }
  } else {
    const before = entries[id] as Record<string, unknown> | undefined;
    entries[id] = { ...value, CreateTime: before?.CreateTime ?? now, ModifyTime: now };
  }
  const next = { ...profile, [section]: entries };
  if (value !== null) {
    const sealed = section === 'Destinations' ? await apiAction<{ Destinations: TSealedFields }>('/api/v1/admin/get-user-profile-sealed-fields', { TargetUser: username }) : null;
    if (sealed && !sealed.ok) return sealed;
    const issues = validateBackupConfig(next, null, sealed?.ok ? sealed.data.Destinations : {}).filter((i) => i.section === section && i.id === id);
    if (issues.length > 0) return { ok: true, data: { issues } };
  }
  const res = await apiAction<{ ProfileHash: string }>('/api/v1/admin/set-user-profile-hash', { TargetUser: username, ProfileData: next, RequireHash: hash });
  if (!res.ok) return res.status === 409 ? { ok: false, status: 409, message: conflictMessage } : res;
  revalidatePath(`/users/${encodeURIComponent(username)}`);
  return { ok: true, data: { hash: res.data.ProfileHash } };
}

export type AddressMatch = { Username: string; DestinationID: string; Description: string; Address: string };

/** Bulk replace addresses, step 1: the dry run (admin/bulk-replace-addresses/find). */
export async function findAddresses(find: string, organization: string): Promise<ActionResult<AddressMatch[]>> {
  return apiAction<AddressMatch[]>('/api/v1/admin/bulk-replace-addresses/find', { Find: find, TargetOrganization: organization || undefined });
}

/** Step 2: the replace itself; the operation id allows the undo. */
export async function replaceAddresses(find: string, replace: string, organization: string): Promise<ActionResult<{ Changed: number; OperationID: string }>> {
  const res = await apiAction<{ Changed: number; OperationID: string }>('/api/v1/admin/bulk-replace-addresses/replace', { Find: find, Replace: replace, TargetOrganization: organization || undefined });
  if (res.ok) revalidatePath('/users/advanced/bulk-replace');
  return res;
}

export async function undoReplaceAddresses(operationId: string): Promise<ActionResult<{ Restored: number; Skipped: number }>> {
  const res = await apiAction<{ Restored: number; Skipped: number }>('/api/v1/admin/bulk-replace-addresses/undo', { OperationID: operationId });
  if (res.ok) revalidatePath('/users/advanced/bulk-replace');
  return res;
}

export type BulkUserAction = 'apply-policy' | 'suspend' | 'unsuspend' | 'send-report' | 'update-software';

/** One bulk action on some of the selected users (admin/users/bulk): one result per user. */
export async function bulkUsers(action: BulkUserAction, usernames: string[], policyId?: string): Promise<ActionResult<{ Results: Array<{ Username: string; Status: number; Message: string }> }>> {
  const res = await apiAction<{ Results: Array<{ Username: string; Status: number; Message: string }> }>('/api/v1/admin/users/bulk', {
    Action: action,
    Usernames: usernames,
    ...(policyId !== undefined ? { PolicyID: policyId } : {}),
  });
  if (res.ok) revalidatePath('/users');
  return res;
}
