// Event rows as Comet StreamableEvent JSON, plus Halley's additive `EventID` (the outbox id) that
// consumers use to deduplicate and to resume with `?since=`.
import { StreamableEventType } from '../comet/constants';
import type { Prisma } from '../generated/prisma/client';
import { wireOrganizationId } from '../tenancy/actor';

// Range markers (SEVT__MIN = 4000, SEVT__MAX) share values with real types (SEVT_META_HELLO = 4000): skip them.
const TYPE_NAMES = new Map<number, string>(
  Object.entries(StreamableEventType)
    .filter(([name]) => !name.startsWith('SEVT__'))
    .map(([name, value]) => [value as number, name]),
);

/** Comet's TypeString of an event type ("" for an unknown number). */
export function eventTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? '';
}

export type EventRow = Prisma.EventGetPayload<object>;

export function streamableEvent(row: EventRow): Record<string, unknown> {
  return {
    Actor: row.actor,
    OwnerOrganizationID: wireOrganizationId(row.tenantId),
    ResourceID: row.resourceId,
    Type: row.type,
    Timestamp: Number(row.timestamp),
    TypeString: eventTypeName(row.type),
    Data: row.data ?? null,
    EventID: Number(row.id),
  };
}
