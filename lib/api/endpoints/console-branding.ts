// The console shell's branding (issue 20): every admin reads the display branding of its own organization (product
// name, colours, logo), falling back to the server's, then Halley's. Additive Halley extensions; no permission
// gate, since every admin sees the shell. Domain: lib/branding/get-console-branding.ts, get-console-logo.ts.
import { getConsoleBranding } from '../../branding/get-console-branding';
import { getConsoleLogo } from '../../branding/get-console-logo';
import { OK } from './ok';
import { defineEndpoint } from '../registry';
import { ApiReply } from '../reply';

export const consoleBrandingEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/halley/branding/console',
    method: 'HalleyBrandingConsole',
    summary: "Halley: the console shell's branding for the admin's organization (BrandName, ProductName, TopColor, AccentColor, LogoHash), each falling back to the server's, then Halley's",
    auth: 'admin',
    extension: true,
    params: {},
    returns: 'HalleyConsoleBranding',
    handler: async ({ actor }) => ({ ...OK, ...(await getConsoleBranding({ actor })) }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/halley/branding/console-logo',
    method: 'HalleyBrandingConsoleLogo',
    summary: "Halley: the logo image of the console shell's branding (the admin's organization's, else the server's)",
    auth: 'admin',
    extension: true,
    params: {},
    returns: 'file',
    responseFormat: 'file',
    handler: async ({ actor }) => {
      const logo = await getConsoleLogo({ actor });
      return ApiReply.file(
        (async function* () {
          yield logo.bytes;
        })(),
        { filename: `logo-${logo.hash.slice(0, 12)}`, contentType: logo.contentType, length: logo.bytes.length },
      );
    },
  }),
];
