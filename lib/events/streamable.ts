// Event rows as Comet StreamableEvent JSON, plus Halley's additive `EventID` (the outbox id) that
// consumers use to deduplicate and to resume with `?since=`.
import { StreamableEventType } from '../comet/constants';
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

/**
 * The fields of an outbox row that its StreamableEvent shows, as raw reads on the pg pool return them: `data` is
 * Data as JSON text (null for SQL NULL), spliced into the event as it is.
 */
export type EventFields = {
  id: bigint | string;
  tenantId: string;
  type: number;
  actor: string;
  resourceId: string;
  timestamp: bigint | number;
  data: string | null;
};

/**
 * The StreamableEvent JSON of an outbox row: Actor, OwnerOrganizationID, ResourceID, Type, Timestamp, TypeString,
 * Data, EventID in that order, as JSON.stringify prints them. Data is not parsed: the caller chooses its text
 * (the event stream's is JSON.stringify's, lib/json/jsonb-text.ts; webhook bodies take PostgreSQL's as is).
 */
export function streamableEventJson(row: EventFields): string {
  const head = JSON.stringify({
    Actor: row.actor,
    OwnerOrganizationID: wireOrganizationId(row.tenantId),
    ResourceID: row.resourceId,
    Type: row.type,
    Timestamp: Number(row.timestamp),
    TypeString: eventTypeName(row.type),
  });
  return `${head.slice(0, -1)},"Data":${row.data ?? 'null'},"EventID":${Number(row.id)}}`;
}
