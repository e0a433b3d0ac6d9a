// The fields an update campaign's DeviceFilter (a Comet SearchClause) may name: RuleField -> SQL over
// the device row `d` joined with its account row `a`. Compiled by lib/job-search's compiler
// (same operators, same errors); nothing outside this map reaches SQL text.
import type { SearchField } from '../job-search/fields';
import { TOP_LEVEL_TENANT_ID } from '../tenancy/actor';

const platform = (key: string) => `coalesce(d."data"->'PlatformVersion'->>'${key}', '')`;

const DEVICE_FILTER_FIELDS: Readonly<Record<string, SearchField>> = Object.freeze({
  Username: { kind: 'string', sql: 'a."username"', description: 'account username' },
  AccountName: { kind: 'string', sql: 'a."accountName"', description: "the account's name" },
  OrganizationID: { kind: 'string', sql: 'd."tenantId"', mapValue: (v) => (v === '' ? TOP_LEVEL_TENANT_ID : v), description: 'organization (tenant) ID, "" for the top level' },
  GroupID: { kind: 'string', sql: 'a."groupId"', description: "the account's user group ID" },
  PolicyID: { kind: 'string', sql: 'a."policyId"', description: "the account's policy ID" },
  DeviceID: { kind: 'string', sql: 'd."deviceId"', description: 'device ID' },
  FriendlyName: { kind: 'string', sql: 'd."friendlyName"', description: "the device's friendly name" },
  ClientVersion: { kind: 'string', sql: `coalesce(d."clientVersion", '')`, description: 'the client version the device last reported' },
  PlatformOS: { kind: 'string', sql: platform('os'), description: 'operating system (windows, linux, darwin, ...)' },
  PlatformArch: { kind: 'string', sql: platform('arch'), description: 'CPU architecture (amd64, arm64, ...)' },
  PlatformDistribution: { kind: 'string', sql: platform('distribution'), description: 'OS distribution or edition ("Debian 12", ...)' },
  PlatformVersion: { kind: 'string', sql: platform('version'), description: 'OS version' },
  Timezone: { kind: 'string', sql: `coalesce(d."timezone", '')`, description: "the device's time zone" },
});

export function deviceFilterField(name: string): SearchField | undefined {
  return Object.prototype.hasOwnProperty.call(DEVICE_FILTER_FIELDS, name) ? DEVICE_FILTER_FIELDS[name] : undefined;
}

/** The field names and kinds, for the console's query builder. */
export function deviceFilterFieldList(): Array<{ name: string; kind: SearchField['kind'] }> {
  return Object.entries(DEVICE_FILTER_FIELDS).map(([name, f]) => ({ name, kind: f.kind }));
}
