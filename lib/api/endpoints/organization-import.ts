// Organization import (issue 17, beyond Comet): a tenant export (admin/organization/export) imported into this
// server as a new organization, as a job with its history and progress.
import { listOrganizationImports } from '../../self-backup/list-organization-imports';
import { startOrganizationImport } from '../../self-backup/start-organization-import';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';

export const organizationImportEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/halley/organization/import',
    method: 'HalleyAdminOrganizationImport',
    summary:
      'Halley: import a tenant export archive (a file on this server) as a new organization, as a job; answers its ImportID. Taken ids are remapped, secrets re-sealed with this server\'s key; user, admin or host collisions refuse it with the list of conflicts (admin/halley/organization/imports)',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.settings',
    extension: true,
    params: {
      ArchivePath: p.string().describe('absolute path of the export archive on this server'),
      ArchivePassword: p.string().describe('the archive password (the export\'s EncryptionKey)'),
      DryRun: p.bool().describe('check only: verify, find conflicts, write nothing').opt(),
    },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      const { importId } = await startOrganizationImport({ actor, archivePath: params.ArchivePath, password: params.ArchivePassword, dryRun: params.DryRun });
      return { ...OK, ImportID: importId };
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/halley/organization/imports',
    method: 'HalleyAdminOrganizationImports',
    summary: 'Halley: organization imports, newest first (status, phase, rows, the organization created, conflicts, summary, error)',
    auth: 'admin',
    topLevelOnly: true,
    extension: true,
    params: {
      Limit: p.int().describe('1-500, default 50').opt(),
      ImportID: p.string().describe('only this import').opt(),
    },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => listOrganizationImports({ actor, limit: params.Limit, importId: params.ImportID }),
  }),
];
