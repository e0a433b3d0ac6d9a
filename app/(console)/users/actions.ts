'use server';
// Users: every action is a registry call with the signed-in admin's session (API-first).
import { revalidatePath } from 'next/cache';
import type { ReportOption } from '@/lib/adapters/console/email-reports';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';
import type { EmailPreview } from '../settings/email/actions';

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
