import type { Prisma } from '../generated/prisma/client';
import { shapeWire } from '../profile/mapper';
import { maskCustomHeaders } from './custom-headers';

type Json = Record<string, unknown>;
type WebhookRow = Prisma.WebhookGetPayload<object>;

/** A webhook row as Comet's WebhookOption (CustomHeaders values masked, unknown fields kept). */
export function webhookToWire(row: Pick<WebhookRow, 'url' | 'customHeaders' | 'level' | 'whiteListedEventTypes' | 'extra'>): Json {
  return shapeWire('WebhookOption', {
    URL: row.url,
    CustomHeaders: maskCustomHeaders(row.customHeaders),
    Level: row.level,
    WhiteListedEventTypes: row.whiteListedEventTypes,
    ...((row.extra ?? {}) as Json),
  }) as Json;
}
