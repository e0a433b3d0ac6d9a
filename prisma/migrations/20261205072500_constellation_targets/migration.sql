-- Constellation (issue 16): targets and missing-bucket alerts per report; first sighting and unfinished removals per bucket.
ALTER TABLE "ConstellationReport" ADD COLUMN "targets" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "ConstellationReport" ADD COLUMN "missing" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "ConstellationBucket" ADD COLUMN "firstSeen" BIGINT;
ALTER TABLE "ConstellationBucket" ADD COLUMN "removalPending" TEXT NOT NULL DEFAULT '';
