// The device-side browse commands whose server side is the same relay (disk drives, application engines,
// Office 365, import sources, SMB test): the device answers the Comet response type's one list field, or an
// error (e.g. an engine this device does not have). `field` names it; its shape is checked.
import { z } from 'zod';
import { askDevice, type DispatchTarget } from './ask-device';
import { answerField, ZDiskDrive } from './device-answer';

const anyList = z.array(z.record(z.string(), z.unknown())).max(100_000);
const strings = z.array(z.string().max(4096)).max(100_000);
const stringMap = z.record(z.string().max(4096), z.string().max(4096));

/** Every browse command, by the path after dispatcher/: its answer field and that field's shape. */
const BROWSE = {
  'request-browse-disk-drives': { field: 'Disks', shape: z.array(ZDiskDrive).max(4096) },
  'request-windisk-snapshot': { field: 'WindiskSnapshot', shape: z.array(ZDiskDrive).max(4096) },
  'browse-virtual-machines': { field: 'VMs', shape: anyList },
  'request-browse-exchange-edb': { field: 'Databases', shape: anyList },
  'request-browse-hyperv': { field: 'VirtualMachines', shape: anyList },
  'request-browse-mongodb': { field: 'Objects', shape: stringMap },
  'request-browse-mssql': { field: 'Objects', shape: stringMap },
  'request-browse-mysql': { field: 'Objects', shape: stringMap },
  'request-browse-proxmox': { field: 'VMs', shape: anyList },
  'request-browse-proxmox/nodes': { field: 'Nodes', shape: strings },
  'request-browse-proxmox/storage': { field: 'Storage', shape: anyList },
  'request-browse-vmware': { field: 'VirtualMachines', shape: anyList },
  'request-browse-vmware/datacenters': { field: 'Datacenters', shape: anyList },
  'request-browse-vmware/datastores': { field: 'Datastores', shape: anyList },
  'request-browse-vmware/hosts': { field: 'Hosts', shape: anyList },
  'request-browse-vmware/networks': { field: 'Networks', shape: anyList },
  'request-browse-vss-aaw': { field: 'VSSWriters', shape: z.record(z.string().max(255), z.record(z.string(), z.unknown())) },
  'request-office365-accounts': { field: 'Objects', shape: anyList },
  'request-office365-sites': { field: 'Objects', shape: anyList },
  'office365-list-virtual-accounts': { field: 'Objects', shape: anyList },
  'request-import-sources': { field: 'ImportSources', shape: stringMap },
} as const;

export type BrowseOp = keyof typeof BROWSE;

/** Asks the device; `args` (credentials included) go to the device only. */
export async function browseDevice(opts: DispatchTarget & { op: BrowseOp; args?: Record<string, unknown> }) {
  const { field, shape } = BROWSE[opts.op];
  const r = await askDevice({ ...opts, build: () => ({ type: 'request', op: opts.op, args: opts.args ?? {} }) });
  return { Status: 200, Message: 'OK', [field]: answerField(r.data, field, shape as z.ZodType) };
}
