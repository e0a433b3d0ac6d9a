-- Issue 22 (webhook throughput): one index fewer to write per inserted and per updated delivery. The
-- (status, nextAttemptAt) index served only the rescue sweep and the backlog gauge, which now go webhook by
-- webhook through (webhookId, status, resourceKey, eventId); it was also the planner's favourite wrong path
-- for the delivery worker's lookups by id whenever the statistics said few rows were pending.
DROP INDEX "WebhookDelivery_status_nextAttemptAt_idx";
