-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "expiryReported" BOOLEAN NOT NULL DEFAULT false;

-- Sessions that ended before this release are not reported after the fact.
UPDATE "Session" SET "expiryReported" = true WHERE "expiresAt" <= now() OR "revokedAt" IS NOT NULL;
