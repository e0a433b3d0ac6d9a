// Comet's admin/convert-storage-role. Domain: lib/storage/convert-storage-role.ts, which explains why
// Halley answers a specific error for every vault (its Storage Role has no underlying S3 storage).
import { convertStorageRole } from '../../storage/convert-storage-role';
import { p } from '../params';
import { defineEndpoint } from '../registry';

export const storageConvertEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/convert-storage-role',
    method: 'AdminConvertStorageRole',
    summary: "Convert a user's IAM Storage Role vault to its underlying S3 type (Halley's Storage Role keeps buckets on disk: a specific error)",
    auth: 'admin',
    params: { TargetUser: p.string(), DestinationId: p.string() },
    returns: 'RequestStorageVaultResponseMessage',
    handler: ({ actor, params }) => convertStorageRole({ actor, username: params.TargetUser, destinationId: params.DestinationId }),
  }),
];
