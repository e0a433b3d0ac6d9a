-- Update campaigns (issue 15): Campaign (server-wide, one current) and CampaignDevice (per-device UPDATESTATUS_*, tenant-owned).
-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'running',
    "current" BOOLEAN,
    "options" JSONB NOT NULL,
    "targetVersion" TEXT NOT NULL,
    "startTime" BIGINT NOT NULL,
    "endTime" BIGINT NOT NULL DEFAULT 0,
    "completedTime" BIGINT NOT NULL DEFAULT 0,
    "canaryPercent" INTEGER NOT NULL DEFAULT 0,
    "batchSize" INTEGER NOT NULL DEFAULT 0,
    "failureThreshold" INTEGER NOT NULL DEFAULT 0,
    "currentWave" INTEGER NOT NULL DEFAULT 0,
    "waveStartTime" BIGINT NOT NULL DEFAULT 0,
    "pauseReason" TEXT NOT NULL DEFAULT '',
    "startedBy" TEXT NOT NULL DEFAULT '',
    "selfAddress" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignDevice" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "friendlyName" TEXT NOT NULL DEFAULT '',
    "status" INTEGER NOT NULL,
    "wave" INTEGER NOT NULL DEFAULT 0,
    "version" TEXT NOT NULL DEFAULT '',
    "requestTime" BIGINT NOT NULL DEFAULT 0,
    "resultTime" BIGINT NOT NULL DEFAULT 0,
    "message" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CampaignDevice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_current_key" ON "Campaign"("current");

-- CreateIndex
CREATE INDEX "Campaign_startTime_idx" ON "Campaign"("startTime");

-- CreateIndex
CREATE INDEX "CampaignDevice_campaignId_status_idx" ON "CampaignDevice"("campaignId", "status");

-- CreateIndex
CREATE INDEX "CampaignDevice_campaignId_wave_status_idx" ON "CampaignDevice"("campaignId", "wave", "status");

-- CreateIndex
CREATE INDEX "CampaignDevice_tenantId_idx" ON "CampaignDevice"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignDevice_campaignId_accountId_deviceId_key" ON "CampaignDevice"("campaignId", "accountId", "deviceId");

-- AddForeignKey
ALTER TABLE "CampaignDevice" ADD CONSTRAINT "CampaignDevice_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignDevice" ADD CONSTRAINT "CampaignDevice_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
