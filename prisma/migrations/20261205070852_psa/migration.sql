-- CreateTable
CREATE TABLE "PsaConfig" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "type" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "alertsDisabled" BOOLEAN NOT NULL DEFAULT false,
    "groupedUsers" BOOLEAN NOT NULL DEFAULT false,
    "groupedTenants" BOOLEAN NOT NULL DEFAULT false,
    "groupedAccountName" BOOLEAN NOT NULL DEFAULT false,
    "partnerKey" TEXT NOT NULL DEFAULT '',
    "customHeaders" JSONB NOT NULL DEFAULT '{}',
    "extra" JSONB NOT NULL DEFAULT '{}',
    "alertsSince" BIGINT NOT NULL DEFAULT 0,
    "remoteState" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PsaConfig_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PsaPush" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" TEXT NOT NULL,
    "configId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "pushKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "responseCode" INTEGER,
    "lastError" TEXT NOT NULL DEFAULT '',
    "requests" INTEGER NOT NULL DEFAULT 0,
    "groups" INTEGER NOT NULL DEFAULT 0,
    "alerts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "PsaPush_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PsaConfig_tenantId_position_idx" ON "PsaConfig"("tenantId", "position");

-- CreateIndex
CREATE INDEX "PsaPush_tenantId_createdAt_idx" ON "PsaPush"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PsaPush_configId_pushKey_key" ON "PsaPush"("configId", "pushKey");

-- AddForeignKey
ALTER TABLE "PsaConfig" ADD CONSTRAINT "PsaConfig_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PsaPush" ADD CONSTRAINT "PsaPush_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PsaPush" ADD CONSTRAINT "PsaPush_configId_fkey" FOREIGN KEY ("configId") REFERENCES "PsaConfig"("id") ON DELETE CASCADE ON UPDATE CASCADE;
