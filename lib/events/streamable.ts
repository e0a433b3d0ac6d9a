// Event rows as Comet StreamableEvent JSON, plus Halley's additive `EventID` (the outbox id) that
// consumers use to deduplicate and to resume with `?since=`.
import { StreamableEventType } from '../comet/constants';
import type { Prisma } from '../generated/prisma/client';
import { wireOrganizationId } from '../tenancy/actor';

const TYPE_NAMES = new Map<number, string>(Object.entries(StreamableEventType).map(([name, value]) => [value as number, name]));

export type EventRow = Prisma.EventGetPayload<object>;

export function streamableEvent(row: EventRow): Record<string, unknown> {
  return {
    Actor: row.actor,
    OwnerOrganizationID: wireOrganizationId(row.tenantId),
    ResourceID: row.resourceId,
    Type: row.type,
    Timestamp: Number(row.timestamp),
    TypeString: TYPE_NAMES.get(row.type) ?? '',
    Data: row.data ?? null,
    EventID: Number(row.id),
  };
}
