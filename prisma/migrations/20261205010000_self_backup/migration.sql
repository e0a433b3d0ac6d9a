-- Self-backup run history (issue 17): server-wide, one row per run of a SelfBackupTarget or tenant export.
-- CreateTable
CREATE TABLE "SelfBackupRun" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'target',
    "targetIndex" INTEGER NOT NULL DEFAULT 0,
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "restrictToOrgId" TEXT NOT NULL DEFAULT '',
    "excludeJobs" BOOLEAN NOT NULL DEFAULT false,
    "compression" INTEGER NOT NULL DEFAULT 4,
    "location" TEXT NOT NULL DEFAULT '',
    "fileName" TEXT NOT NULL DEFAULT '',
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "rowCount" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT NOT NULL DEFAULT '',
    "sealedTarget" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "SelfBackupRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SelfBackupRun_kind_targetIndex_startedAt_idx" ON "SelfBackupRun"("kind", "targetIndex", "startedAt");

-- CreateIndex
CREATE INDEX "SelfBackupRun_startedAt_idx" ON "SelfBackupRun"("startedAt");
