// Comet's branding configuration (issue 19): admin/meta/branding-config/get|set (an organization's
// BrandingOptions; a tenant admin brands its own organization, a top-level admin the server), uploaded
// resources for it (admin/meta/resource/new, a multipart upload whose credentials may come in
// X-Comet-Admin-* headers; admin/meta/resource/get) and the public GET /gen/branding.props, chosen by host
// name. Domain: lib/branding/.
import { brandingProps } from '../../branding/branding-props';
import { getBrandingConfig } from '../../branding/get-branding-config';
import { getResource } from '../../branding/get-resource';
import { setBrandingConfig } from '../../branding/set-branding-config';
import { storeResource } from '../../branding/store-resource';
import { OK } from './ok';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { ApiReply } from '../reply';

export const brandingConfigEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/meta/branding-config/get',
    method: 'AdminMetaBrandingConfigGet',
    summary: "The admin's own organization's BrandingOptions (the server's for a top-level admin), secrets blanked",
    auth: 'admin',
    permission: 'branding.edit',
    params: {},
    returns: 'ServerConfigOptionsBrandingFragment',
    handler: ({ actor }) => getBrandingConfig({ actor }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/branding-config/set',
    method: 'AdminMetaBrandingConfigSet',
    summary: "Replace the admin's own organization's BrandingOptions; files are resource://<hash> from resource/new",
    auth: 'admin',
    permission: 'branding.edit',
    params: { BrandingConfig: p.json<Record<string, unknown>>('BrandingOptions') },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params }) => {
      await setBrandingConfig({ actor, branding: params.BrandingConfig });
      return OK;
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/resource/new',
    method: 'AdminMetaResourceNew',
    summary: "Upload a file (multipart part 'upload') for the branding of the admin's own organization; answers its ResourceHash",
    auth: 'admin',
    fileParams: ['upload'],
    params: { upload: p.string() },
    returns: 'AdminResourceResponse',
    handler: async ({ actor, params }) => ({ ...OK, ResourceHash: (await storeResource({ actor, uploadBase64: params.upload })).hash }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/meta/resource/get',
    method: 'AdminMetaResourceGet',
    summary: "Download a resource of the admin's own organization by its hash",
    auth: 'admin',
    responseFormat: 'file',
    params: { Hash: p.string() },
    returns: '[]byte',
    handler: async ({ actor, params }) => {
      const r = await getResource({ actor, hash: params.Hash });
      return ApiReply.file(
        (async function* () {
          yield r.bytes;
        })(),
        { filename: `${r.hash}.dat`, contentType: 'application/octet-stream', length: r.bytes.length },
      );
    },
  }),
  defineEndpoint({
    path: '/gen/branding.props',
    method: 'BrandingProps',
    summary: 'Public branding for the host name of the request (GET or POST, no credentials)',
    auth: 'none',
    params: {},
    returns: 'ServerMetaBrandingProperties',
    handler: ({ request }) => brandingProps({ host: request.host ?? '' }),
  }),
];
