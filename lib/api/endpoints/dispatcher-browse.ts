// Browsing what a device has (issue 15): its disk, its disks, application engines (VMware, Hyper-V, Proxmox,
// SQL servers, MongoDB, Exchange, VSS, Office 365), import sources, and device settings (login password, SMB
// test). A device without an engine answers its own error; nothing here invents data.
import { applyImport } from '../../dispatcher/apply-import';
import { browseDevice, type BrowseOp } from '../../dispatcher/browse-device';
import { registerOfficeApplication } from '../../dispatcher/register-office-application';
import { requestFilesystemObjects } from '../../dispatcher/request-filesystem-objects';
import { testSmbAuth } from '../../dispatcher/test-smb-auth';
import { updateLoginPassword } from '../../dispatcher/update-login-password';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { dispatcherTwin } from './dispatcher-twin';

const target = { TargetID: p.string() };
const browse = (op: BrowseOp) => async ({ actor, params }: { actor: Parameters<typeof browseDevice>[0]['actor']; params: Record<string, unknown> & { TargetID: string } }) => {
  const { TargetID, ...args } = params;
  return browseDevice({ actor, targetId: TargetID, op, args });
};
const engine = (cmd: BrowseOp, credentials: string, summary: string, returns: string, extra: Record<string, ReturnType<typeof p.string>> = {}) =>
  dispatcherTwin({ cmd, summary, params: { ...target, Credentials: p.json(credentials), ...extra }, returns, handler: browse(cmd) });

export const dispatcherBrowseEndpoints = [
  ...dispatcherTwin({
    cmd: 'request-filesystem-objects',
    summary: "Browse a folder of the device's own disk (Path empty: its roots)",
    user: false,
    params: { ...target, Path: p.string().opt() },
    returns: 'DispatcherStoredObjectsResponse',
    handler: ({ actor, params }) => requestFilesystemObjects({ actor, targetId: params.TargetID, path: params.Path }),
  }),
  // Comet's end-user form of this one is not under dispatcher/: user/web/request-filesystem-objects.
  defineEndpoint({
    path: '/api/v1/user/web/request-filesystem-objects',
    method: 'UserWebRequestFilesystemObjects',
    summary: "End user, own device: browse a folder of the device's own disk (Path empty: its roots)",
    auth: 'user',
    params: { ...target, Path: p.string().opt() },
    returns: 'DispatcherStoredObjectsResponse',
    handler: ({ actor, params }) => requestFilesystemObjects({ actor, targetId: params.TargetID, path: params.Path }),
  }),
  ...dispatcherTwin({ cmd: 'request-browse-disk-drives', summary: "List the device's physical disks and partitions", params: target, returns: 'BrowseDiskDrivesResponse', handler: browse('request-browse-disk-drives') }),
  ...dispatcherTwin({
    cmd: 'request-windisk-snapshot',
    summary: 'List the disks stored in a disk-image snapshot',
    params: { ...target, Destination: p.string(), SnapshotID: p.string() },
    returns: 'DispatcherWindiskSnapshotResponse',
    handler: browse('request-windisk-snapshot'),
  }),
  ...dispatcherTwin({
    cmd: 'browse-virtual-machines',
    summary: 'List the virtual machines stored in a snapshot',
    params: { ...target, DestinationID: p.string(), SnapshotID: p.string() },
    returns: 'DispatcherListSnapshotVirtualMachinesResponse',
    handler: browse('browse-virtual-machines'),
  }),
  ...dispatcherTwin({ cmd: 'request-browse-exchange-edb', summary: 'List Exchange databases on the device', params: target, returns: 'BrowseEDBResponse', handler: browse('request-browse-exchange-edb') }),
  ...dispatcherTwin({ cmd: 'request-browse-hyperv', summary: 'List Hyper-V virtual machines on the device', params: target, returns: 'BrowseHVResponse', handler: browse('request-browse-hyperv') }),
  ...dispatcherTwin({ cmd: 'request-browse-vss-aaw', summary: 'List VSS writers on the device', params: target, returns: 'BrowseVSSResponse', handler: browse('request-browse-vss-aaw') }),
  ...engine('request-browse-mongodb', 'MongoDBConnection', 'List MongoDB databases the device can reach', 'BrowseSQLServerResponse'),
  ...engine('request-browse-mssql', 'MSSQLConnection', 'List Microsoft SQL Server databases the device can reach', 'BrowseSQLServerResponse'),
  ...engine('request-browse-mysql', 'MySQLConnection', 'List MySQL databases the device can reach', 'BrowseSQLServerResponse'),
  ...engine('request-browse-proxmox', 'ProxmoxConnection', 'List Proxmox virtual machines the device can reach', 'BrowseProxmoxResponse'),
  ...engine('request-browse-proxmox/nodes', 'SSHConnection', 'List Proxmox nodes the device can reach', 'BrowseProxmoxNodesResponse'),
  ...engine('request-browse-proxmox/storage', 'SSHConnection', 'List the storage of a Proxmox node', 'BrowseProxmoxStorageResponse', { Node: p.string() }),
  ...engine('request-browse-vmware', 'VMwareConnection', 'List VMware virtual machines the device can reach', 'BrowseVMwareResponse'),
  ...engine('request-browse-vmware/datacenters', 'VMwareConnection', 'List VMware datacenters', 'BrowseVMwareDatacentersResponse'),
  ...engine('request-browse-vmware/datastores', 'VMwareConnection', 'List VMware datastores', 'BrowseVMwareDatastoresResponse', { Filter: p.string() }),
  ...engine('request-browse-vmware/hosts', 'VMwareConnection', 'List VMware hosts', 'BrowseVMwareHostsResponse', { Filter: p.string() }),
  ...engine('request-browse-vmware/networks', 'VMwareConnection', 'List VMware networks', 'BrowseVMwareNetworksResponse', { Filter: p.string() }),
  ...engine('request-office365-accounts', 'Office365Credential', 'List Office 365 accounts', 'BrowseOffice365ObjectsResponse'),
  ...engine('request-office365-sites', 'Office365Credential', 'List Office 365 sites', 'BrowseOffice365ObjectsResponse'),
  ...engine('office365-list-virtual-accounts', 'Office365Credential', 'List Office 365 users, groups and sites', 'BrowseOffice365ListVirtualAccountsResponse'),
  ...dispatcherTwin({
    cmd: 'register-office-application/begin',
    summary: 'Start registering an Office 365 application (device-code sign-in)',
    params: { ...target, EmailAddress: p.string() },
    returns: 'RegisterOfficeApplicationBeginResponse',
    handler: ({ actor, params }) => registerOfficeApplication({ actor, targetId: params.TargetID, step: 'begin', args: { EmailAddress: params.EmailAddress } }),
  }),
  ...dispatcherTwin({
    cmd: 'register-office-application/check',
    summary: 'Check an Office 365 application registration',
    params: { ...target, Continuation: p.string() },
    returns: 'RegisterOfficeApplicationCheckResponse',
    handler: ({ actor, params }) => registerOfficeApplication({ actor, targetId: params.TargetID, step: 'check', args: { Continuation: params.Continuation } }),
  }),
  ...dispatcherTwin({
    cmd: 'test-smb-auth',
    summary: 'Have the device try an SMB share with these credentials',
    params: { ...target, Wsa: p.json('WinSMBAuth') },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => testSmbAuth({ actor, targetId: params.TargetID, wsa: params.Wsa }),
  }),
  ...dispatcherTwin({
    cmd: 'update-login-password',
    summary: "Tell the device the account's new password",
    params: { ...target, NewPassword: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => updateLoginPassword({ actor, targetId: params.TargetID, newPassword: params.NewPassword }),
  }),
  ...dispatcherTwin({ cmd: 'request-import-sources', summary: 'List settings of other backup products the device can import', user: false, params: target, returns: 'DispatcherAdminSourcesResponse', handler: browse('request-import-sources') }),
  ...dispatcherTwin({
    cmd: 'import-apply',
    summary: 'Import one of the sources request-import-sources listed',
    user: false,
    params: { ...target, ImportSourceID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => applyImport({ actor, targetId: params.TargetID, importSourceId: params.ImportSourceID }),
  }),
];
