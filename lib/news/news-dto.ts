// Comet's NewsEntry and the limits of a news item, shared by the news functions.
import { wireOrganizationId } from '../tenancy/actor';

/** Comet's NewsEntry. */
type TNewsEntry = { OrganizationID: string; DateTime: number; TextContent: string };

/** Comet's NewsEntries: news item GUID -> NewsEntry. */
export type TNewsEntries = Record<string, TNewsEntry>;

/** Longest news text and bulletin content accepted (characters). */
export const MAX_NEWS_CHARS = 20_000;

export function newsEntriesDto(rows: { id: string; tenantId: string; dateTime: bigint; textContent: string }[]): TNewsEntries {
  const out: TNewsEntries = {};
  for (const r of rows) out[r.id] = { OrganizationID: wireOrganizationId(r.tenantId), DateTime: Number(r.dateTime), TextContent: r.textContent };
  return out;
}
