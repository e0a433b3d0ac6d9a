// Halley extensions for editing a user's backup configuration (Storage Vaults, Protected Items, Backup
// Rules) through the profile endpoints: which vault credentials are set, since the profile never
// carries their values.
import { getUserProfileSealedFields } from '../../users/profile-sealed-fields';
import { p } from '../params';
import { defineEndpoint } from '../registry';

export const backupConfigEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/get-user-profile-sealed-fields',
    method: 'HalleyAdminGetUserProfileSealedFields',
    summary:
      'Halley: which Storage Vault credential fields of a user hold a stored (sealed) value, as { Destinations: { <vault id>: ["S3SecretKey", "B2.Key", ...] } }. Names only: values never leave the server; an empty field in set-user-profile* keeps the stored value',
    auth: 'admin',
    extension: true,
    params: { TargetUser: p.string() },
    returns: 'HalleyProfileSealedFields',
    handler: ({ actor, params }) => getUserProfileSealedFields({ actor, username: params.TargetUser }),
  }),
];
