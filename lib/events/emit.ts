// Every change writes its StreamableEvent row in the same transaction as the change (outbox).
// The publisher (event stream, webhooks) reads from this table, so an event exists if and only
// if its change committed.
import type { Tx } from '../db/client';
import { actorName, type Actor } from '../tenancy/actor';

export type EventInput = {
  tenantId: string;
  type: number;
  resourceId?: string;
  data?: unknown;
};

/** The Event row of `event` (for a caller that writes several rows in one statement). */
export function eventRow(actor: Actor, event: EventInput) {
  return {
    tenantId: event.tenantId,
    type: event.type,
    actor: actorName(actor),
    resourceId: event.resourceId ?? '',
    data: event.data === undefined ? undefined : (JSON.parse(JSON.stringify(event.data)) as object),
    timestamp: BigInt(Math.floor(Date.now() / 1000)),
  };
}

export async function emitEvent(tx: Tx, actor: Actor, event: EventInput): Promise<void> {
  await tx.event.create({ data: eventRow(actor, event) });
}
