// The client platforms of Comet's admin/branding/generate-client/* and their numbers for by-platform and
// available-platforms. Halley's client is the reference agent (TypeScript on Node.js), so it builds the
// Linux generic package only; every other platform is refused with a clear error (non-2xx on the download
// endpoints, since the SDKs' download methods look only at the HTTP status).
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

export type ClientPlatform = { id: number; slug: string; category: string; description: string; buildable: boolean };

export const CLIENT_PLATFORMS: readonly ClientPlatform[] = [
  { id: 1, slug: 'windows-x86_64-exe', category: 'Windows', description: 'Windows x86_64 installer (exe)', buildable: false },
  { id: 2, slug: 'windows-x86_32-exe', category: 'Windows', description: 'Windows x86_32 installer (exe)', buildable: false },
  { id: 3, slug: 'windows-anycpu-exe', category: 'Windows', description: 'Windows any-CPU installer (exe)', buildable: false },
  { id: 4, slug: 'windows-x86_64-zip', category: 'Windows', description: 'Windows x86_64 (zip)', buildable: false },
  { id: 5, slug: 'windows-x86_32-zip', category: 'Windows', description: 'Windows x86_32 (zip)', buildable: false },
  { id: 6, slug: 'windows-anycpu-zip', category: 'Windows', description: 'Windows any-CPU (zip)', buildable: false },
  { id: 7, slug: 'macos-x86_64', category: 'macOS', description: 'macOS x86_64 (pkg)', buildable: false },
  { id: 8, slug: 'macos-arm64', category: 'macOS', description: 'macOS arm64 (pkg)', buildable: false },
  { id: 9, slug: 'linuxgeneric', category: 'Linux', description: 'Linux (any distribution, tar.gz with installer; needs Node.js 22+)', buildable: true },
  { id: 10, slug: 'linux-deb', category: 'Linux', description: 'Linux Debian/Ubuntu (deb)', buildable: false },
  { id: 11, slug: 'spk-dsm6', category: 'Synology', description: 'Synology DSM 6 (spk)', buildable: false },
  { id: 12, slug: 'spk-dsm7', category: 'Synology', description: 'Synology DSM 7 (spk)', buildable: false },
];

/** The platform a by-platform / test call names, refused with a 400 when this server cannot build it. */
export function buildablePlatform(by: { id?: number; slug?: string }): ClientPlatform {
  const platform = CLIENT_PLATFORMS.find((p) => (by.id !== undefined ? p.id === by.id : p.slug === by.slug));
  if (!platform) throw new BadRequestError(apiMessage('clientPlatformUnknown', { platform: String(by.id ?? by.slug) }));
  if (!platform.buildable) {
    throw new BadRequestError(apiMessage('clientPlatformUnsupported', { platform: platform.description }));
  }
  return platform;
}
