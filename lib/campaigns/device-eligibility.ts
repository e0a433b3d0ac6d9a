// Which devices a campaign updates: the version criteria (UpgradeOlder / ReinstallCurrentVer /
// DowngradeNewer against the target version) AND, with ApplyDeviceFilter, the DeviceFilter.
import { UpdateStatus } from '../comet/constants';
import { compareVersions } from '../client-builds/client-version';
import { compileSearchClause, SqlParams } from '../job-search/compile-search-clause';
import type { TUpdateCampaignOptions } from './campaign-options';
import { deviceFilterField } from './device-filter-fields';

/** The DeviceFilter as a SQL boolean over a device `d` and its account `a` ("TRUE" without a filter). */
export function compileDeviceFilter(options: TUpdateCampaignOptions, params: SqlParams): { sql: string; regexes: string[] } {
  if (!options.ApplyDeviceFilter) return { sql: 'TRUE', regexes: [] };
  return compileSearchClause(options.DeviceFilter, params, { now: Math.floor(Date.now() / 1000), fields: deviceFilterField });
}

/** The initial UPDATESTATUS_ of a device: NOT_SEEN without a known version, else PENDING or INELIGIBLE. */
export function initialStatus(version: string | null, matchesFilter: boolean, options: TUpdateCampaignOptions, target: string): number {
  if (!version) return UpdateStatus.UPDATESTATUS_NOT_SEEN;
  if (!matchesFilter) return UpdateStatus.UPDATESTATUS_INELIGIBLE;
  const c = compareVersions(version, target);
  const wanted = c < 0 ? options.UpgradeOlder : c === 0 ? options.ReinstallCurrentVer : options.DowngradeNewer;
  return wanted ? UpdateStatus.UPDATESTATUS_PENDING : UpdateStatus.UPDATESTATUS_INELIGIBLE;
}
