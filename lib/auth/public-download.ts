// Comet's "admin-or-public-download" endpoints (admin/branding/*): an administrator's credentials, or none at
// all when the Software Build Role allows unauthenticated downloads (admin/meta/build-config/set,
// lib/server-info/build-role-config.ts keeps the same setting).
import { readServerSetting } from '../settings/server-settings';

/** Whether a caller without credentials may download client packages (SoftwareBuildRole.AllowUnauthenticatedDownloads). */
export async function unauthenticatedDownloadsAllowed(): Promise<boolean> {
  const options = await readServerSetting<Record<string, unknown>>('software-build-role', {}, { maxAgeMs: 0 });
  return options.AllowUnauthenticatedDownloads === true;
}
