// Organization import (issue 17, beyond Comet): a tenant export (admin/organization/export) imported into this
// server as a new organization, as a job with its history and progress.
import { listOrganizationImports } from '../../self-backup/list-organization-imports';
import { startOrganizationImport } from '../../self-backup/start-organization-import';
import { uploadOrganizationImport } from '../../self-backup/upload-organization-import';
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
    path: '/api/v1/admin/halley/organization/import-upload',
    method: 'HalleyAdminOrganizationImportUpload',
    summary:
      "Halley: import a tenant export archive sent as the multipart file part 'Archive' (up to HALLEY_MAX_BODY_BYTES) instead of a server path, as a job; answers its ImportID and the ArchivePath it was stored under (a dry run keeps the file for the import that follows; a real import removes it)",
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.settings',
    extension: true,
    fileParams: ['Archive'],
    params: {
      Archive: p.string().describe('the export archive (multipart file part)'),
      ArchivePassword: p.string().describe('the archive password (the export\'s EncryptionKey)'),
      DryRun: p.bool().describe('check only: verify, find conflicts, write nothing').opt(),
    },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      const r = await uploadOrganizationImport({ actor, archiveBase64: params.Archive, password: params.ArchivePassword, dryRun: params.DryRun });
      return { ...OK, ImportID: r.importId, ArchivePath: r.archivePath };
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
    handler: ({ actor, params, request }) => listOrganizationImports({ actor, limit: params.Limit, importId: params.ImportID, locale: request.locale }),
  }),
];
