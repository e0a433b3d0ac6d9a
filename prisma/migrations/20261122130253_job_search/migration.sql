-- DropIndex
DROP INDEX "Job_accountId_idx";

-- DropIndex
DROP INDEX "Job_status_idx";

-- DropIndex
DROP INDEX "Job_tenantId_startTime_idx";

-- DropIndex
DROP INDEX "Job_username_startTime_idx";

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "destinationSizeEnd" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "destinationSizeStart" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "retryCount" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Job_tenantId_startTime_id_idx" ON "Job"("tenantId", "startTime", "id");

-- CreateIndex
CREATE INDEX "Job_tenantId_endTime_id_idx" ON "Job"("tenantId", "endTime", "id");

-- CreateIndex
CREATE INDEX "Job_startTime_id_idx" ON "Job"("startTime", "id");

-- CreateIndex
CREATE INDEX "Job_endTime_id_idx" ON "Job"("endTime", "id");

-- CreateIndex
CREATE INDEX "Job_accountId_startTime_id_idx" ON "Job"("accountId", "startTime", "id");

-- CreateIndex
CREATE INDEX "Job_username_startTime_id_idx" ON "Job"("username", "startTime", "id");
