// Halley extensions: bulk replace of Storage Role addresses (Comet 22.3's "Find" / "Find and replace" for
// DESTINATIONTYPE_COMET vaults), with the dry run first and an exact undo.
import { findAddresses } from '../../bulk-replace/find-addresses';
import { listOperations } from '../../bulk-replace/list-operations';
import { replaceAddresses } from '../../bulk-replace/replace-addresses';
import { undoReplace } from '../../bulk-replace/undo-replace';
import { p } from '../params';
import { defineEndpoint } from '../registry';

export const bulkReplaceEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/bulk-replace-addresses/find',
    method: 'HalleyAdminBulkReplaceAddressesFind',
    summary:
      'Halley: the Comet-type Storage Vaults (DESTINATIONTYPE_COMET) whose CometServer matches Find (scheme, host and port compared normalised, a trailing slash ignored), as [{Username, DestinationID, Description, Address}]. Nothing is written',
    auth: 'admin',
    extension: true,
    params: { Find: p.string(), TargetOrganization: p.string().opt() },
    returns: '[]HalleyAddressMatch',
    handler: ({ actor, params }) => findAddresses({ actor, find: params.Find, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/bulk-replace-addresses/replace',
    method: 'HalleyAdminBulkReplaceAddressesReplace',
    summary:
      'Halley: sets CometServer to Replace on every vault find would list, one hash-checked profile write per user; online devices of changed users refetch their profile. Returns {Changed, OperationID}; the operation can be undone',
    auth: 'admin',
    extension: true,
    params: { Find: p.string(), Replace: p.string(), TargetOrganization: p.string().opt() },
    returns: 'HalleyBulkReplaceResult',
    handler: ({ actor, params }) => replaceAddresses({ actor, find: params.Find, replace: params.Replace, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/bulk-replace-addresses/undo',
    method: 'HalleyAdminBulkReplaceAddressesUndo',
    summary: 'Halley: restores the addresses one replace changed, except on vaults whose address changed since; returns {Restored, Skipped}. An operation is undone once',
    auth: 'admin',
    extension: true,
    params: { OperationID: p.string() },
    returns: 'HalleyBulkReplaceUndoResult',
    handler: ({ actor, params }) => undoReplace({ actor, operationId: params.OperationID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/bulk-replace-addresses/list',
    method: 'HalleyAdminBulkReplaceAddressesList',
    summary: 'Halley: the newest 50 replace operations the admin may see: [{OperationID, Find, Replace, Changed, Status, CreateTime, UndoTime}]',
    auth: 'admin',
    extension: true,
    params: { TargetOrganization: p.string().opt() },
    returns: '[]HalleyBulkReplaceOperation',
    handler: ({ actor, params }) => listOperations({ actor, targetOrganization: params.TargetOrganization }),
  }),
];
