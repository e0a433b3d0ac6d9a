// Client builds (Comet's admin/branding/available-platforms and admin/branding/generate-client/*): the
// reference agent packaged with this server's URL and the tenant's branding. An administrator's credentials,
// or none when the Software Build Role allows unauthenticated downloads ('admin-or-public-download').
// Domain: lib/client-builds/. Also admin/create-install-token (lib/install-tokens/), the installer's unattended sign-in.
import { buildClientPackage } from '../../client-builds/build-client-package';
import { createInstallToken } from '../../install-tokens/create-install-token';
import { listAvailablePlatforms } from '../../client-builds/list-available-platforms';
import { buildablePlatform, CLIENT_PLATFORMS } from '../../client-builds/platforms';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { ApiReply } from '../reply';

const selfAddress = { SelfAddress: p.string().opt() };
/** A registered device fetching its own update signs in with its device token instead (lib/auth/device-download.ts). */
const deviceToken = { DeviceToken: p.string().halley() };

function methodName(slug: string): string {
  return `AdminBrandingGenerateClient${slug
    .split(/[-_]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}`;
}

async function download(args: Parameters<typeof buildClientPackage>[0]): Promise<ApiReply> {
  const pkg = await buildClientPackage(args);
  return ApiReply.file(
    (async function* () {
      yield pkg.bytes;
    })(),
    {
      filename: pkg.filename,
      contentType: 'application/gzip',
      length: pkg.bytes.length,
      // What an updating agent checks the download against before it installs it (agent/self-update.ts).
      headers: { 'x-halley-client-version': pkg.version, 'x-halley-client-sha256': pkg.sha256 },
    },
  );
}

const perPlatform = CLIENT_PLATFORMS.map((platform) =>
  defineEndpoint({
    path: `/api/v1/admin/branding/generate-client/${platform.slug}`,
    method: methodName(platform.slug),
    summary: platform.buildable ? `Download the ${platform.description} client package` : `${platform.description}: not built by Halley (answers an error)`,
    auth: 'admin-or-public-download',
    responseFormat: 'file',
    params: { ...selfAddress, ...deviceToken },
    returns: '[]byte',
    handler: ({ actor, params, request }) =>
      download({ actor, platform: buildablePlatform({ slug: platform.slug }), selfAddress: params.SelfAddress, host: request.host }),
  }),
);

export const brandingEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/branding/available-platforms',
    method: 'AdminBrandingAvailablePlatforms',
    summary: 'The client platforms this server can build, for generate-client/by-platform',
    auth: 'admin-or-public-download',
    params: {},
    returns: 'map[int]AvailableDownload',
    handler: () => listAvailablePlatforms(),
  }),
  defineEndpoint({
    path: '/api/v1/admin/branding/generate-client/by-platform',
    method: 'AdminBrandingGenerateClientByPlatform',
    summary: 'Download the client package of a platform from available-platforms',
    auth: 'admin-or-public-download',
    responseFormat: 'file',
    params: { Platform: p.int(), ...selfAddress, ...deviceToken },
    returns: '[]byte',
    handler: ({ actor, params, request }) =>
      download({ actor, platform: buildablePlatform({ id: params.Platform }), selfAddress: params.SelfAddress, host: request.host }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/branding/generate-client/test',
    method: 'AdminBrandingGenerateClientTest',
    summary: 'Check that this server can build the client of a platform (and that SelfAddress is usable)',
    auth: 'admin-or-public-download',
    params: { Platform: p.int(), ...selfAddress },
    returns: 'CometAPIResponseMessage',
    handler: async ({ actor, params, request }) => {
      await buildClientPackage({ actor, platform: buildablePlatform({ id: params.Platform }), selfAddress: params.SelfAddress, host: request.host });
      return { Status: 200, Message: 'OK' };
    },
  }),
  ...perPlatform,
  defineEndpoint({
    path: '/api/v1/admin/create-install-token',
    method: 'AdminCreateInstallToken',
    summary: "Create a one-time install token for an account (the client installer's unattended sign-in; valid 7 days)",
    auth: 'admin',
    params: { TargetUser: p.string(), TargetPassword: p.string(), Server: p.string().opt() },
    returns: 'InstallTokenResponse',
    handler: ({ actor, params, request }) =>
      createInstallToken({
        actor,
        targetUser: params.TargetUser,
        targetPassword: params.TargetPassword,
        server: params.Server,
        selfAddress: request.host ? `http://${request.host}/` : '',
      }),
  }),
];
