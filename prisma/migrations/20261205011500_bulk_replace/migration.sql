-- Bulk replace addresses (issue 14): one row per replace run with the changes it made, for undo and history.
-- CreateTable
CREATE TABLE "BulkReplaceOperation" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "scopeTenantId" TEXT NOT NULL DEFAULT '',
    "adminId" TEXT NOT NULL DEFAULT '',
    "findAddress" TEXT NOT NULL,
    "replaceAddress" TEXT NOT NULL,
    "changes" JSONB NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'running',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoneAt" TIMESTAMP(3),

    CONSTRAINT "BulkReplaceOperation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BulkReplaceOperation_tenantId_createdAt_idx" ON "BulkReplaceOperation"("tenantId", "createdAt");

-- AddForeignKey
ALTER TABLE "BulkReplaceOperation" ADD CONSTRAINT "BulkReplaceOperation_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
