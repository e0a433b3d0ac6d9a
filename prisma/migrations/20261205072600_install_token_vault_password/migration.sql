-- Install tokens carry the account password (sealed) to the device that spends them (issue 15)
ALTER TABLE "InstallToken" ADD COLUMN "sealedPassword" TEXT;
