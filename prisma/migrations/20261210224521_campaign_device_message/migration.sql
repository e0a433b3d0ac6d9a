-- Issue 19: a campaign device's Message and a campaign's PauseReason as "api" catalogue messages next to their
-- English text (lib/i18n/stored-message.ts), read in the reader's language. Old rows keep NULL and show their text.
ALTER TABLE "Campaign" ADD COLUMN "pauseReasonKey" JSONB;
ALTER TABLE "CampaignDevice" ADD COLUMN "messageKey" JSONB;
