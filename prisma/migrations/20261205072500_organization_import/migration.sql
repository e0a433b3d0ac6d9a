-- CreateTable
CREATE TABLE "OrganizationImport" (
    "id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "dryRun" BOOLEAN NOT NULL DEFAULT false,
    "archivePath" TEXT NOT NULL,
    "sealedPassword" TEXT NOT NULL DEFAULT '',
    "sourceOrgId" TEXT NOT NULL DEFAULT '',
    "organizationId" TEXT NOT NULL DEFAULT '',
    "organizationName" TEXT NOT NULL DEFAULT '',
    "phase" TEXT NOT NULL DEFAULT '',
    "rowsDone" BIGINT NOT NULL DEFAULT 0,
    "rowsTotal" BIGINT NOT NULL DEFAULT 0,
    "conflicts" JSONB NOT NULL DEFAULT '[]',
    "summary" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT NOT NULL DEFAULT '',
    "requestedBy" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "OrganizationImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrganizationImport_createdAt_idx" ON "OrganizationImport"("createdAt");
