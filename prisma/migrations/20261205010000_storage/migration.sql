-- CreateTable
CREATE TABLE "StorageBucket" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "measureStarted" BIGINT NOT NULL DEFAULT 0,
    "measureCompleted" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "StorageBucket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StorageTemplate" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "templateId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "data" JSONB NOT NULL,
    "secrets" TEXT,

    CONSTRAINT "StorageTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StorageBucket_tenantId_createdAt_idx" ON "StorageBucket"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "StorageTemplate_tenantId_templateId_key" ON "StorageTemplate"("tenantId", "templateId");

-- AddForeignKey
ALTER TABLE "StorageBucket" ADD CONSTRAINT "StorageBucket_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StorageTemplate" ADD CONSTRAINT "StorageTemplate_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
