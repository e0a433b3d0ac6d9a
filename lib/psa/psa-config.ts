// Comet's PSAConfig as Halley keeps it (issue 18): one organization's list of PSA integrations
// (admin/meta/psa-config-list/get|set|sync-now). The wire object is
// {AlertsDisabled, CustomHeaders, PartnerKey, Type, URL, GroupedBy{Users, Tenants, AccountName}}:
// - PSA_TYPE_GENERIC (0): URL is an http(s) endpoint that receives a signed JSON usage summary (and alerts).
// - PSA_TYPE_GRADIENT (1): Gradient MSP's Synthesize API; PartnerKey is the partner's Synthesize API key,
//   URL (optional) overrides the API base.
// - PSA_TYPE_SYNCRO (2): Syncro; URL is the account's subdomain ("acme" -> https://acme.syncromsp.com) or a
//   full base URL, PartnerKey its API token.
// PartnerKey and CustomHeaders values are secrets: sealed at rest, never returned (blank / masked on get).
import { PSAType } from '../comet/constants';

export const PSA_TYPE_GENERIC = PSAType.PSA_TYPE_GENERIC;
export const PSA_TYPE_GRADIENT = PSAType.PSA_TYPE_GRADIENT;
export const PSA_TYPE_SYNCRO = PSAType.PSA_TYPE_SYNCRO;

export const PSA_TYPE_NAMES: Readonly<Record<number, string>> = {
  [PSA_TYPE_GENERIC]: 'Generic',
  [PSA_TYPE_GRADIENT]: 'Gradient',
  [PSA_TYPE_SYNCRO]: 'Syncro',
};

/** Comet PSAGroupedBy. */
export type TPsaGroupedBy = { Users: boolean; Tenants: boolean; AccountName: boolean };

/** Comet PSAConfig as it goes over the wire (PartnerKey and CustomHeaders are omitempty). */
export type TPsaConfigWire = {
  AlertsDisabled: boolean;
  CustomHeaders?: Record<string, string>;
  PartnerKey?: string;
  Type: number;
  URL: string;
  GroupedBy: TPsaGroupedBy;
} & Record<string, unknown>;

/** The columns of a PsaConfig row this module reads. */
export type PsaConfigRow = {
  id: string;
  tenantId: string;
  position: number;
  type: number;
  url: string;
  alertsDisabled: boolean;
  groupedUsers: boolean;
  groupedTenants: boolean;
  groupedAccountName: boolean;
  partnerKey: string;
  customHeaders: unknown;
  extra: unknown;
};

export const MAX_PSA_CONFIGS = 20;
