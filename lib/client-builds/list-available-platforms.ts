// admin/branding/available-platforms: what this server can build, as Comet's map[int]AvailableDownload.
import { CLIENT_PLATFORMS } from './platforms';

export async function listAvailablePlatforms(): Promise<Record<string, { Category: string; Description: string; Recommended: boolean }>> {
  const out: Record<string, { Category: string; Description: string; Recommended: boolean }> = {};
  for (const p of CLIENT_PLATFORMS) if (p.buildable) out[String(p.id)] = { Category: p.category, Description: p.description, Recommended: true };
  return out;
}
