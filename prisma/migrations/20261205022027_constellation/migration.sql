-- Constellation (issue 16): per-organization role options, one row per report run, and each bucket's unused streak, quarantine and deletion.
-- CreateTable
CREATE TABLE "ConstellationConfig" (
    "tenantId" TEXT NOT NULL,
    "roleEnabled" BOOLEAN NOT NULL DEFAULT false,
    "deleteUnusedData" BOOLEAN NOT NULL DEFAULT false,
    "servers" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConstellationConfig_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "ConstellationReport" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "started" BIGINT NOT NULL,
    "completed" BIGINT NOT NULL DEFAULT 0,
    "trigger" TEXT NOT NULL,
    "complete" BOOLEAN NOT NULL DEFAULT false,
    "usage" JSONB NOT NULL DEFAULT '{}',
    "verdicts" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConstellationReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConstellationBucket" (
    "tenantId" TEXT NOT NULL,
    "bucketId" TEXT NOT NULL,
    "unusedStreak" INTEGER NOT NULL DEFAULT 0,
    "unusedSince" BIGINT,
    "quarantinedAt" BIGINT,
    "deletedAt" BIGINT,
    "lastReportId" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ConstellationBucket_pkey" PRIMARY KEY ("tenantId","bucketId")
);

-- CreateIndex
CREATE INDEX "ConstellationReport_tenantId_createdAt_idx" ON "ConstellationReport"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "ConstellationBucket_bucketId_idx" ON "ConstellationBucket"("bucketId");

-- AddForeignKey
ALTER TABLE "ConstellationConfig" ADD CONSTRAINT "ConstellationConfig_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConstellationReport" ADD CONSTRAINT "ConstellationReport_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConstellationBucket" ADD CONSTRAINT "ConstellationBucket_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
