// Comet's dispatcher: commands to live devices, the registration lobby, job cancel/abandon. Domain:
// lib/live/dispatch.ts. Halley extension: `QueueIfOffline` on commands that make sense later; the
// TargetID may then be a registered device's ID, and the command waits for its next connection.
import { abandonJob } from '../../live/abandon-job';
import { cancelJob } from '../../live/cancel-job';
import { countDevices } from '../../live/count-devices';
import { defaultLoginUrl } from '../../live/default-login-url';
import { dispatchCommand } from '../../live/dispatch-command';
import { dropLobbyConnection } from '../../live/drop-lobby-connection';
import { listActiveConnections } from '../../live/list-active-connections';
import { listDeviceStates } from '../../live/list-device-states';
import { listLobbyConnections } from '../../live/list-lobby-connections';
import { newJobId } from '../../live/new-job-id';
import { registerLobbyDevice } from '../../live/register-lobby-device';
import { requireItem } from '../../live/require-item';
import { requireRule } from '../../live/require-rule';
import { requireVault } from '../../live/require-vault';
import { storedVaultLocation } from '../../live/stored-vault-location';
import type { DispatchOutcome } from '../../live/send-command';
import type { TCommand } from '../../live/protocol';
import { BadRequestError } from '../../errors';
import { apiMessage } from '../../i18n/api-messages';
import { targetTenant } from '../../tenancy/scope';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { ApiReply } from '../reply';
import { isUrlWithScheme } from '../../validation/url-parts';

const queue = {
  QueueIfOffline: p.bool().describe('Halley: when the device is not connected, queue the command (TargetID may then be a device ID) and deliver it when the device connects').halley(),
};

/** CometAPIResponseMessage (no JobID). */
const message = (o: DispatchOutcome) => ({ Status: o.Status, Message: o.Message });
const withJob = (o: DispatchOutcome) => ({ Status: o.Status, Message: o.Message, JobID: o.JobID ?? '' });
const fixed = (cmd: TCommand) => async () => cmd;

// What a command needs from the device's account, shared by the admin and the end-user endpoints.
const runBackup = (rule: string) => async ({ accountId }: { accountId: string }): Promise<TCommand> => {
  await requireRule(accountId, rule);
  return { type: 'run-backup', jobId: newJobId(), backupRule: rule };
};
const runBackupCustom = (params: { Source: string; Destination: string; Options?: unknown }) => async ({ accountId }: { accountId: string }): Promise<TCommand> => {
  await requireItem(accountId, params.Source);
  await requireVault(accountId, params.Destination);
  return { type: 'run-backup-custom', jobId: newJobId(), source: params.Source, destination: params.Destination, options: (params.Options ?? {}) as Record<string, unknown> };
};
const runRestore = (params: { Path: string; Source: string; Destination: string; Snapshot?: string; Paths?: unknown[] }) => {
  if (params.Path.trim() === '') throw new BadRequestError(apiMessage('paramEmpty', { name: 'Path' }));
  return async ({ accountId }: { accountId: string }): Promise<TCommand> => {
    await requireItem(accountId, params.Source);
    await requireVault(accountId, params.Destination);
    const paths = (params.Paths ?? []).filter((x): x is string => typeof x === 'string');
    return { type: 'run-restore', jobId: newJobId(), path: params.Path, source: params.Source, destination: params.Destination, snapshot: params.Snapshot ?? '', paths };
  };
};
const backupParams = { TargetID: p.string(), BackupRule: p.string() };
const backupCustomParams = { TargetID: p.string(), Source: p.string(), Destination: p.string(), Options: p.json('BackupJobAdvancedOptions').opt() };
const restoreParams = { TargetID: p.string(), Path: p.string(), Source: p.string(), Destination: p.string(), Snapshot: p.string().opt(), Paths: p.json<string[]>('[]string').opt() };
const pingParams = {
  TargetID: p.string(),
  ExtraData: p.json('DestinationLocation'),
  Destination: p
    .string()
    .describe("Halley: test this Storage Vault of the device's account with its stored settings and credentials; fields in ExtraData override them (send {} to test the vault as stored)")
    .halley(),
};
/** What ping-destination sends: ExtraData as given, or over the named stored vault (Halley's `Destination`). */
const ping = (params: { ExtraData: unknown; Destination?: string }) => async ({ accountId }: { accountId: string }): Promise<TCommand> => {
  const given = (params.ExtraData ?? {}) as Record<string, unknown>;
  if (!params.Destination) return { type: 'ping-destination', location: given } as TCommand;
  return { type: 'ping-destination', location: { ...(await storedVaultLocation(accountId, params.Destination)), ...given } } as TCommand;
};

export const dispatcherEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/list-active',
    method: 'AdminDispatcherListActive',
    summary: 'List live device connections, optionally filtered by username',
    auth: 'admin',
    params: { UserNameFilter: p.string().opt() },
    returns: 'LiveUserConnectionMap',
    handler: ({ actor, params }) => listActiveConnections({ actor, usernameFilter: params.UserNameFilter || undefined }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/run-backup',
    method: 'AdminDispatcherRunBackup',
    summary: "Start an existing backup rule's backup on a connected device",
    auth: 'admin',
    params: { ...backupParams, ...queue },
    returns: 'DispatchWithJobIDResponse',
    handler: async ({ actor, params, request }) =>
      withJob(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, queueIfOffline: params.QueueIfOffline, build: runBackup(params.BackupRule) })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/run-backup-custom',
    method: 'AdminDispatcherRunBackupCustom',
    summary: 'Start an ad-hoc backup of a protected item to a storage vault',
    auth: 'admin',
    params: { ...backupCustomParams, ...queue },
    returns: 'DispatchWithJobIDResponse',
    handler: async ({ actor, params, request }) =>
      withJob(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, queueIfOffline: params.QueueIfOffline, build: runBackupCustom(params) })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/run-restore',
    method: 'AdminDispatcherRunRestore',
    summary: 'Restore a protected item from a storage vault to a local path on the device',
    auth: 'admin',
    params: restoreParams,
    returns: 'DispatchWithJobIDResponse',
    handler: async ({ actor, params, request }) => withJob(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, build: runRestore(params) })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/apply-retention-rules',
    method: 'AdminDispatcherApplyRetentionRules',
    summary: 'Tell a connected device to apply retention rules to a storage vault',
    auth: 'admin',
    params: { TargetID: p.string(), Destination: p.string(), ...queue },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) =>
      message(
        await dispatchCommand({
          actor,
          locale: request.locale,
          targetId: params.TargetID,
          queueIfOffline: params.QueueIfOffline,
          build: async ({ accountId }) => {
            await requireVault(accountId, params.Destination);
            return { type: 'apply-retention', jobId: newJobId(), destination: params.Destination };
          },
        }),
      ),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/drop-connection',
    method: 'AdminDispatcherDropConnection',
    summary: 'Disconnect a live device (it reconnects)',
    auth: 'admin',
    params: { TargetID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => message(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, build: fixed({ type: 'drop-connection' }) })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/kill-process',
    method: 'AdminDispatcherKillProcess',
    summary: "Stop a device's live-connection process (it does not reconnect)",
    auth: 'admin',
    params: { TargetID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => message(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, build: fixed({ type: 'kill-process' }) })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/force-login',
    method: 'AdminDispatcherForceLogin',
    summary: 'Make a device forget its sign-in and ask for credentials again (it does not reconnect)',
    auth: 'admin',
    params: { TargetID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => message(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, build: fixed({ type: 'force-login' }) })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/update-software',
    method: 'AdminDispatcherUpdateSoftware',
    summary: 'Tell a connected device to fetch a client update',
    auth: 'admin',
    params: { TargetID: p.string(), SelfAddress: p.string().opt(), ...queue },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) =>
      message(
        await dispatchCommand({
          actor,
          locale: request.locale,
          targetId: params.TargetID,
          queueIfOffline: params.QueueIfOffline,
          build: fixed({ type: 'update-software', selfAddress: params.SelfAddress || (request.host ? `http://${request.host}/` : '') }),
        }),
      ),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/update-login-url',
    method: 'AdminDispatcherUpdateLoginUrl',
    summary: 'Move a device to another server address (it tests the address first unless Force)',
    auth: 'admin',
    params: { TargetID: p.string(), NewURL: p.string(), Force: p.bool().opt(), ...queue },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => {
      if (!isUrlWithScheme(params.NewURL, ['http', 'https', 'ws', 'wss'])) throw new BadRequestError(apiMessage('paramNotHttpUrl', { name: 'NewURL' }));
      return message(
        await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, queueIfOffline: params.QueueIfOffline, build: fixed({ type: 'update-login-url', newUrl: params.NewURL, force: params.Force ?? false }) }),
      );
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/refetch-profile',
    method: 'AdminDispatcherRefetchProfile',
    summary: 'Tell a connected device to reload its account profile',
    auth: 'admin',
    params: { TargetID: p.string(), ...queue },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => message(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, queueIfOffline: params.QueueIfOffline, build: fixed({ type: 'refetch-profile' }) })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/uninstall-software',
    method: 'AdminDispatcherUninstallSoftware',
    summary: 'Remotely uninstall the client from a device',
    auth: 'admin',
    params: { TargetID: p.string(), RemoveConfigFile: p.bool(), ...queue },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) =>
      message(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, queueIfOffline: params.QueueIfOffline, build: fixed({ type: 'uninstall', removeConfig: params.RemoveConfigFile }) })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/ping-destination',
    method: 'AdminDispatcherPingDestination',
    summary: 'Have a chosen live device test the connection to a storage location',
    auth: 'admin',
    params: pingParams,
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => message(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, build: ping(params) })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/get-default-login-url',
    method: 'AdminDispatcherGetDefaultLoginUrl',
    summary: "A tenant's default client login server URL",
    auth: 'admin',
    topLevelOnly: true,
    params: { OrganizationID: p.string() },
    returns: 'OrganizationLoginURLResponse',
    handler: async ({ actor, params, request }) => {
      const tenantId = await targetTenant(actor, params.OrganizationID);
      return { LoginURL: await defaultLoginUrl(tenantId, request.host) };
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/job/cancel',
    method: 'AdminJobCancel',
    summary: 'Ask the device running a job to cancel it',
    auth: 'admin',
    params: { TargetUser: p.string(), JobID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => message(await cancelJob({ actor, username: params.TargetUser, jobId: params.JobID })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/job/abandon',
    method: 'AdminJobAbandon',
    summary: 'Mark a job stuck as running as abandoned (nothing is sent to the device)',
    auth: 'admin',
    params: { TargetUser: p.string(), JobID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => message(await abandonJob({ actor, username: params.TargetUser, jobId: params.JobID })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/installation/list-active',
    method: 'AdminInstallationListActive',
    summary: 'Unregistered devices waiting in the registration lobby',
    auth: 'admin',
    params: {},
    returns: 'RegistrationLobbyConnectionMap',
    handler: ({ actor }) => listLobbyConnections({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/installation/dispatch/register-device',
    method: 'AdminInstallationDispatchRegisterDevice',
    summary: "Register a lobby device to a user (checked with the user's password, and TOTP code when the user has one)",
    auth: 'admin',
    params: { DeviceID: p.string(), TargetUser: p.string(), TargetPassword: p.string(), TargetTOTPCode: p.string().opt() },
    responseFormat: 'text',
    returns: '[]byte',
    handler: async ({ actor, params }) => ApiReply.text(await registerLobbyDevice({ actor, deviceId: params.DeviceID, username: params.TargetUser, password: params.TargetPassword, totpCode: params.TargetTOTPCode })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/installation/dispatch/drop-connection',
    method: 'AdminInstallationDispatchDropConnection',
    summary: 'Disconnect a device waiting in the registration lobby',
    auth: 'admin',
    params: { DeviceID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => message(await dropLobbyConnection({ actor, deviceId: params.DeviceID })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/list-devices',
    method: 'HalleyDispatcherListDevices',
    summary: 'Halley: registered devices with their live state (online, connection, platform, address), by username',
    auth: 'admin',
    extension: true,
    params: {
      Limit: p.int().describe('at most this many devices (1-10000, default 1000)').opt(),
      Query: p.string().describe("only devices whose name, ID or user's name contains this (any case)").opt(),
      Status: p.string().describe('"online" or "offline": only those devices').opt(),
    },
    returns: '[]HalleyDeviceState',
    handler: ({ actor, params }) => {
      const limit = params.Limit ?? 1000;
      if (limit < 1 || limit > 10_000) throw new BadRequestError(apiMessage('paramBetween', { name: 'Limit', min: '1', max: '10000' }));
      const status = params.Status ?? '';
      if (status !== '' && status !== 'online' && status !== 'offline') throw new BadRequestError(apiMessage('paramOneOf', { name: 'Status', values: "'online', 'offline'" }));
      return listDeviceStates({ actor, limit, query: (params.Query ?? '').slice(0, 200), status });
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/dispatcher/count-devices',
    method: 'HalleyDispatcherCountDevices',
    summary: 'Halley: how many registered devices the admin may see, and how many are connected now',
    auth: 'admin',
    extension: true,
    params: {},
    returns: 'HalleyDeviceCounts',
    handler: ({ actor }) => countDevices({ actor }),
  }),
];

/** The end user's own devices (Comet's user/web/dispatcher/*): the same commands, only to devices of their account. */
export const userDispatcherEndpoints = [
  defineEndpoint({
    path: '/api/v1/user/web/dispatcher/list-active',
    method: 'UserWebDispatcherListActive',
    summary: 'End-user lists own live device connections',
    auth: 'user',
    params: {},
    returns: 'LiveUserConnectionMap',
    handler: ({ actor }) => listActiveConnections({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/dispatcher/run-backup',
    method: 'UserWebDispatcherRunBackup',
    summary: 'End-user starts a scheduled backup on own device',
    auth: 'user',
    params: backupParams,
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => withJob(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, build: runBackup(params.BackupRule) })),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/dispatcher/run-backup-custom',
    method: 'UserWebDispatcherRunBackupCustom',
    summary: 'End-user starts an ad-hoc backup on own device',
    auth: 'user',
    params: backupCustomParams,
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => withJob(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, build: runBackupCustom(params) })),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/dispatcher/run-restore',
    method: 'UserWebDispatcherRunRestore',
    summary: 'End-user restores on own device',
    auth: 'user',
    params: restoreParams,
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => withJob(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, build: runRestore(params) })),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/dispatcher/drop-connection',
    method: 'UserWebDispatcherDropConnection',
    summary: 'End-user disconnects one of own devices',
    auth: 'user',
    params: { TargetID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => message(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, build: fixed({ type: 'drop-connection' }) })),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/dispatcher/ping-destination',
    method: 'UserWebDispatcherPingDestination',
    summary: 'End-user has own device test a storage location',
    auth: 'user',
    params: pingParams,
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => message(await dispatchCommand({ actor, locale: request.locale, targetId: params.TargetID, build: ping(params) })),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/job/cancel',
    method: 'UserWebJobCancel',
    summary: 'End-user requests cancellation of an own running job',
    auth: 'user',
    params: { JobID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => message(await cancelJob({ actor, jobId: params.JobID })),
  }),
];
