// Storage (issue 14): the Storage Role's buckets (admin/storage/*), Storage Templates
// (admin/meta/remote-storage-vault/*) and requesting a vault from a template (admin/ and user/web/).
// The objects themselves travel over the object API (lib/adapters/storage/object-api.ts).
import { bucketProperties } from '../../storage/bucket-properties';
import { deleteBucket } from '../../storage/delete-bucket';
import { freeSpace } from '../../storage/free-space';
import { listBuckets } from '../../storage/list-buckets';
import { pingDestination } from '../../storage/ping-destination';
import { registerBucket } from '../../storage/register-bucket';
import { getStorageTemplates } from '../../storage/templates/get-storage-templates';
import { listStorageProviders } from '../../storage/templates/list-storage-providers';
import { requestStorageVault } from '../../storage/templates/request-storage-vault';
import { setStorageTemplates } from '../../storage/templates/set-storage-templates';
import { testStorageTemplate } from '../../storage/templates/test-storage-template';
import { localizeApiMessage } from '../../i18n/api-messages';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { OK } from './ok';
import { ApiReply } from '../reply';

type Json = Record<string, any>;

/** The URL devices reach this server at: SelfAddress (the SDKs fill it in), else the Host the call came to. */
const targetOrg = () => p.string().topLevel().describe('Halley: a tenant to act on (top-level administrators); default the caller’s organization').halley();

function selfAddress(given: string | undefined, host: string | undefined): string {
  return given && given !== '' ? given : host ? `http://${host}` : '';
}

export const storageEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/storage/register-bucket',
    method: 'AdminStorageRegisterBucket',
    summary: "A new bucket on this server's Storage Role (random ID and key unless given; the key is stored only as a slow hash)",
    auth: 'admin',
    params: {
      SetBucketValue: p.string().opt(),
      SetKeyHashFormat: p.string().opt(),
      SetKeyHashValue: p.string().opt(),
      SetOrganizationID: p.string().opt(),
    },
    returns: 'AddBucketResponseMessage',
    handler: ({ actor, params }) =>
      registerBucket({ actor, bucketId: params.SetBucketValue, keyHashFormat: params.SetKeyHashFormat, keyHashValue: params.SetKeyHashValue, organizationId: params.SetOrganizationID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/storage/list-buckets',
    method: 'AdminStorageListBuckets',
    summary: "The buckets of the caller's organization (top level: all), keyed by BucketID",
    auth: 'admin',
    params: {},
    returns: 'BucketPropertyList',
    handler: async ({ actor }) => ApiReply.jsonStream(await listBuckets({ actor })),
  }),
  defineEndpoint({
    path: '/api/v1/admin/storage/bucket-properties',
    method: 'AdminStorageBucketProperties',
    summary: 'One bucket; its size is measured in the background (AfterTimestamp: wait for a measurement started at or after it)',
    auth: 'admin',
    params: { BucketID: p.string(), AfterTimestamp: p.int().opt() },
    returns: 'BucketProperties',
    handler: ({ actor, params }) => bucketProperties({ actor, bucketId: params.BucketID, afterTimestamp: params.AfterTimestamp }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/storage/delete-bucket',
    method: 'AdminStorageDeleteBucket',
    summary: 'Delete a bucket and all its objects',
    auth: 'admin',
    params: { BucketID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await deleteBucket({ actor, bucketId: params.BucketID });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/storage/free-space',
    method: 'AdminStorageFreeSpace',
    summary: "Free space of the file system that holds this server's buckets",
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.info',
    params: { BucketID: p.string().opt() },
    returns: 'StorageFreeSpaceInfo',
    handler: ({ actor, params }) => freeSpace({ actor, bucketId: params.BucketID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/storage/ping-destination',
    method: 'AdminStoragePingDestination',
    summary: 'The server tests a Comet-type or S3-compatible storage location itself',
    auth: 'admin',
    topLevelOnly: true,
    permission: 'server.settings',
    params: { ExtraData: p.json<Json>('DestinationLocation') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => ({ Status: 200, Message: localizeApiMessage(await pingDestination({ actor, location: params.ExtraData }), request.locale ?? 'en') }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/remote-storage-vault/get',
    method: 'AdminMetaRemoteStorageVaultGet',
    summary: "The organization's Storage Templates in order (a top-level admin's are the server's); credentials are never returned",
    auth: 'admin',
    permission: 'remote-storage.edit',
    params: { TargetOrganization: targetOrg() },
    returns: '[]RemoteStorageOption',
    handler: ({ actor, params }) => getStorageTemplates({ actor, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/remote-storage-vault/set',
    method: 'AdminMetaRemoteStorageVaultSet',
    summary: "Replace the organization's Storage Templates (comet, s3, custom); empty credentials keep the stored ones",
    auth: 'admin',
    permission: 'remote-storage.edit',
    params: { RemoteStorageOptions: p.json<Json[] | null>('[]RemoteStorageOption'), ReplacementAutoVaultID: p.string().opt(), TargetOrganization: targetOrg() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setStorageTemplates({ actor, options: params.RemoteStorageOptions, replacementId: params.ReplacementAutoVaultID, targetOrganization: params.TargetOrganization });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/remote-storage-vault/test',
    method: 'AdminMetaRemoteStorageVaultTest',
    summary: 'Test a Storage Template without provisioning anything',
    auth: 'admin',
    permission: 'remote-storage.edit',
    params: { TemplateOptions: p.json<Json>('RemoteStorageOption'), TargetOrganization: targetOrg() },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => ({
      Status: 200,
      Message: localizeApiMessage(await testStorageTemplate({ actor, option: params.TemplateOptions, targetOrganization: params.TargetOrganization }), request.locale ?? 'en'),
    }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/request-storage-vault-providers',
    method: 'AdminRequestStorageVaultProviders',
    summary: 'The Storage Templates a vault can be requested from, {ID: Description}',
    auth: 'admin',
    params: { TargetOrganization: p.string().topLevel().opt() },
    returns: 'map[string]string',
    handler: ({ actor, params }) => listStorageProviders({ actor, targetOrganization: params.TargetOrganization }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/request-storage-vault',
    method: 'AdminRequestStorageVault',
    summary: "Provision a new Storage Vault for a user from a Storage Template and add it to the user's profile",
    auth: 'admin',
    params: { TargetUser: p.string(), StorageProvider: p.string(), SelfAddress: p.string().opt(), DeviceID: p.string().opt(), ProfileHash: p.string().opt() },
    returns: 'RequestStorageVaultResponseMessage',
    handler: ({ actor, params, request }) =>
      requestStorageVault({ actor, username: params.TargetUser, storageProvider: params.StorageProvider, selfAddress: selfAddress(params.SelfAddress, request.host), deviceId: params.DeviceID, profileHash: params.ProfileHash }),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/request-storage-vault-providers',
    method: 'UserWebRequestStorageVaultProviders',
    summary: "The Storage Templates the user's policy allows requesting a vault from",
    auth: 'user',
    params: {},
    returns: 'map[string]string',
    handler: ({ actor }) => listStorageProviders({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/request-storage-vault',
    method: 'UserWebRequestStorageVault',
    summary: 'Provision a new Storage Vault for the own account (as the policy allows)',
    auth: 'user',
    params: { StorageProvider: p.string(), SelfAddress: p.string().opt(), DeviceID: p.string().opt(), ProfileHash: p.string().opt() },
    returns: 'RequestStorageVaultResponseMessage',
    handler: ({ actor, params, request }) =>
      requestStorageVault({ actor, storageProvider: params.StorageProvider, selfAddress: selfAddress(params.SelfAddress, request.host), deviceId: params.DeviceID, profileHash: params.ProfileHash }),
  }),
];
