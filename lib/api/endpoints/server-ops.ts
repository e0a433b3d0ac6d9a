// Server operations (issue 17): self-backup, tenant export, the whole server configuration, server logs,
// update news.
import { getServerConfig } from '../../server-config/get-server-config';
import { setServerConfig } from '../../server-config/set-server-config';
import { exportOrganization } from '../../self-backup/export-organization';
import { listSelfBackupRuns } from '../../self-backup/list-self-backup-runs';
import { startSelfBackup } from '../../self-backup/start-self-backup';
import { getSoftwareUpdateNews } from '../../server-config/get-software-update-news';
import { restartService } from '../../server-config/restart-service';
import { shutdownService } from '../../server-config/shutdown-service';
import { listAvailableLogDays, readLogDay, readLogDays } from '../../server-logs/read-server-logs';
import { readAllLogs } from '../../server-logs/read-all-logs';
import { searchServerLog } from '../../server-logs/search-server-log';
import { p } from '../params';
import { ApiReply } from '../reply';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const serverOpsEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/self-backup/start',
    method: 'AdminSelfBackupStart',
    summary: 'Run every self-backup target now (as jobs on the workers); Halley answers the queued run IDs in RunIDs',
    auth: 'admin',
    topLevelOnly: true,
    params: { TargetIndex: p.int().describe('Halley: run only the target with this Index').halley() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      const { runIds } = await startSelfBackup({ actor, targetIndex: params.TargetIndex });
      return { ...OK, RunIDs: runIds };
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/self-backup/runs',
    method: 'HalleyAdminSelfBackupRuns',
    summary: 'Halley: the self-backup run history, newest first (status, times, size, file, error)',
    auth: 'admin',
    topLevelOnly: true,
    extension: true,
    params: {
      Limit: p.int().describe('1-500, default 50').opt(),
      TargetIndex: p.int().describe('only runs of the target with this Index').opt(),
    },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params, request }) => listSelfBackupRuns({ actor, limit: params.Limit, targetIndex: params.TargetIndex, locale: request.locale }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/organization/export',
    method: 'AdminOrganizationExport',
    summary: 'Write a self-backup archive of one organization (RestrictToSingleOrgID) to the given location, as a job; Halley answers its RunID',
    auth: 'admin',
    topLevelOnly: true,
    params: { Options: p.json<Record<string, unknown>>('SelfBackupExportOptions') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      const { runId } = await exportOrganization({ actor, options: params.Options });
      return { ...OK, RunID: runId };
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/server-config/get',
    method: 'AdminMetaServerConfigGet',
    summary: 'The whole ServerConfigOptions (secrets blank)',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.settings',
    params: {},
    returns: 'ServerConfigOptions',
    handler: ({ actor }) => getServerConfig({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/server-config/set',
    method: 'AdminMetaServerConfigSet',
    summary: 'Replace the ServerConfigOptions: SelfBackup, LoginProtection, Email, WebhookOptions, PSAConfigs, Branding, ConstellationRole and SoftwareBuildRole are applied through their own settings, Organizations is read-only here, every other field is kept as sent',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.settings',
    params: { Config: p.json<Record<string, unknown>>('ServerConfigOptions') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setServerConfig({ actor, config: params.Config });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/restart-service',
    method: 'AdminMetaRestartService',
    summary: "Restart web and workers on this node through npm start's supervisor (graceful; answered before the restart)",
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.shutdown',
    params: {},
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor }) => {
      await restartService({ actor });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/shutdown-service',
    method: 'AdminMetaShutdownService',
    summary: "Stop the server on this node cleanly through npm start's supervisor (answered before it stops)",
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.shutdown',
    params: {},
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor }) => {
      await shutdownService({ actor });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/list-available-log-days',
    method: 'AdminMetaListAvailableLogDays',
    summary: 'Days with a server log file (LogDay: the UTC midnight in Unix seconds), oldest first',
    auth: 'admin',
    topLevelOnly: true,
    params: {},
    returns: '[]LogDay',
    handler: ({ actor }) => listAvailableLogDays({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/read-logs',
    method: 'AdminMetaReadLogs',
    summary: 'One day of server log (JSON lines), the newest 32 MiB of it',
    auth: 'admin',
    topLevelOnly: true,
    params: { Log: p.int() },
    responseFormat: 'text',
    returns: '[]byte',
    handler: async ({ actor, params }) => ApiReply.text(await readLogDay({ actor, day: params.Log })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/read-select-logs',
    method: 'AdminMetaReadSelectLogs',
    summary: 'Several days of server log, oldest first (days without a log are skipped)',
    auth: 'admin',
    topLevelOnly: true,
    params: { Logs: p.json<number[]>('[]int') },
    responseFormat: 'text',
    returns: '[]byte',
    handler: async ({ actor, params }) => ApiReply.text(await readLogDays({ actor, days: params.Logs })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/read-all-logs',
    method: 'AdminMetaReadAllLogs',
    summary: 'Every day of server log as one zip (halley-YYYYMMDD.log entries, oldest first), streamed',
    auth: 'admin',
    topLevelOnly: true,
    params: {},
    responseFormat: 'file',
    returns: '[]byte',
    handler: async ({ actor }) => {
      const { source, filename } = await readAllLogs({ actor });
      return ApiReply.file(source, { filename, contentType: 'application/zip' });
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/search-log',
    method: 'HalleyAdminMetaSearchLog',
    summary: 'Halley: one day of server log as entries (Time, Level, Message, Line), at or above MinLevel and containing a text; the newest Limit',
    auth: 'admin',
    topLevelOnly: true,
    extension: true,
    params: {
      Log: p.int(),
      MinLevel: p.string().describe('trace, debug, info, warn, error or fatal').opt(),
      Contains: p.string().opt(),
      Limit: p.int().describe('1-10000, default 1000').opt(),
    },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => searchServerLog({ actor, day: params.Log, minLevel: params.MinLevel, contains: params.Contains, limit: params.Limit }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/software-update-news',
    method: 'AdminMetaSoftwareUpdateNews',
    summary: "Halley's latest releases from its release feed (HALLEY_UPDATE_FEED_URL); this version when the feed is unset or unreachable",
    auth: 'admin',
    params: {},
    returns: 'SoftwareUpdateNewsResponse',
    handler: () => getSoftwareUpdateNews(),
  }),
];
