// The one engine -> booster mapping. Comet bills every protected item type other than files-and-folders as a
// "booster", once per device that uses it; the keys are Comet's engine names (constants ENGINE_BUILTIN_*), the
// values the booster type ids that the ledger, price lists and reports use.
import { ENGINE_BUILTIN as E } from '../comet/constants';

export const BOOSTER_BY_ENGINE: Readonly<Record<string, string>> = {
  [E.ENGINE_BUILTIN_EXCHANGEEDB]: 'exchange',
  [E.ENGINE_BUILTIN_HYPERV]: 'hyperv',
  [E.ENGINE_BUILTIN_MONGODB]: 'mongodb',
  [E.ENGINE_BUILTIN_MSOFFICE]: 'office365',
  [E.ENGINE_BUILTIN_MSSQL]: 'mssql',
  [E.ENGINE_BUILTIN_MYSQL]: 'mysql',
  [E.ENGINE_BUILTIN_PROXMOX]: 'proxmox',
  [E.ENGINE_BUILTIN_STDOUT]: 'program-output',
  [E.ENGINE_BUILTIN_SYSTEMSTATE]: 'system-state',
  [E.ENGINE_BUILTIN_VMWARE]: 'vmware',
  [E.ENGINE_BUILTIN_VSSWRITER]: 'vss-writer',
  [E.ENGINE_BUILTIN_WINDISK]: 'disk-image',
  [E.ENGINE_BUILTIN_WINDOWSSYSTEM]: 'windows-system',
};

/** Every booster type id, sorted (report columns, price list fields). */
export const BOOSTER_TYPES: readonly string[] = [...new Set(Object.values(BOOSTER_BY_ENGINE))].sort();

/** The Office 365 engine: its items also count protected Office 365 accounts. */
export const OFFICE365_ENGINE = E.ENGINE_BUILTIN_MSOFFICE;
