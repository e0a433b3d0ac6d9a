-- Constellation (issue 16): each missing bucket is mailed to the organization's notification addresses once.
ALTER TABLE "ConstellationBucket" ADD COLUMN "missingAlertedAt" BIGINT;
