-- Shared storage quotas (admin/squota/*): one byte limit for every vault whose StorageLimitID names it.
CREATE TABLE "SharedStorageQuota" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "limitBytes" BIGINT NOT NULL DEFAULT 0,
    "createdAt" BIGINT NOT NULL DEFAULT 0,
    "modifiedAt" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "SharedStorageQuota_pkey" PRIMARY KEY ("tenantId","id")
);

ALTER TABLE "SharedStorageQuota" ADD CONSTRAINT "SharedStorageQuota_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
