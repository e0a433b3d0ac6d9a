-- The event stream follows the outbox in (txid, id) order (lib/events/tail.ts); a tenant admin's ?since= replay
-- reads its tenant's (txid, id) range, which replaces the (tenantId, id) index the id-ordered replay used.
-- DropIndex
DROP INDEX "Event_tenantId_id_idx";

-- CreateIndex
CREATE INDEX "Event_tenantId_txid_id_idx" ON "Event"("tenantId", "txid", "id");
