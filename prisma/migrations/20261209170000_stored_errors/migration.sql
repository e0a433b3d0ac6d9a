-- Issue 19: self-backup run failures, organization import failures and report-email delivery errors as "api"
-- catalogue messages next to their English text (lib/i18n/stored-message.ts), read in the reader's language.
-- Old rows keep NULL and show their text.
ALTER TABLE "SelfBackupRun" ADD COLUMN "errorMessage" JSONB;
ALTER TABLE "OrganizationImport" ADD COLUMN "errorMessage" JSONB;
ALTER TABLE "EmailDelivery" ADD COLUMN "lastErrorMessage" JSONB;
