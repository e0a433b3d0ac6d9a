-- Issue 19: delivery-log reasons as "api" catalogue messages next to their English text, so the webhook and PSA
-- delivery logs read in the reader's language. Old rows keep NULL and show their text.
ALTER TABLE "WebhookDelivery" ADD COLUMN "lastErrorMessage" JSONB;
ALTER TABLE "PsaPush" ADD COLUMN "lastErrorMessage" JSONB;
