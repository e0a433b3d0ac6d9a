-- CreateTable
CREATE TABLE "UsageTenantDay" (
    "tenantId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "users" INTEGER NOT NULL DEFAULT 0,
    "devices" INTEGER NOT NULL DEFAULT 0,
    "configuredDevices" INTEGER NOT NULL DEFAULT 0,
    "boosters" INTEGER NOT NULL DEFAULT 0,
    "boosterCounts" JSONB NOT NULL DEFAULT '{}',
    "office365Accounts" INTEGER NOT NULL DEFAULT 0,
    "storageBytes" BIGINT NOT NULL DEFAULT 0,
    "liveDevices" INTEGER NOT NULL DEFAULT 0,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageTenantDay_pkey" PRIMARY KEY ("tenantId","day")
);

-- CreateTable
CREATE TABLE "UsageAccountDay" (
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "username" TEXT NOT NULL,
    "devices" INTEGER NOT NULL DEFAULT 0,
    "configuredDevices" INTEGER NOT NULL DEFAULT 0,
    "boosters" INTEGER NOT NULL DEFAULT 0,
    "boosterCounts" JSONB NOT NULL DEFAULT '{}',
    "office365Accounts" INTEGER NOT NULL DEFAULT 0,
    "storageBytes" BIGINT NOT NULL DEFAULT 0,
    "liveDevices" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "UsageAccountDay_pkey" PRIMARY KEY ("accountId","day")
);

-- CreateTable
CREATE TABLE "UsageDeviceDay" (
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "username" TEXT NOT NULL,
    "friendlyName" TEXT NOT NULL DEFAULT '',
    "configured" BOOLEAN NOT NULL DEFAULT false,
    "boosters" TEXT[],
    "live" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "UsageDeviceDay_pkey" PRIMARY KEY ("accountId","deviceId","day")
);

-- CreateTable
CREATE TABLE "UsageVaultDay" (
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "vaultId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "username" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "bytes" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "UsageVaultDay_pkey" PRIMARY KEY ("accountId","vaultId","day")
);

-- CreateTable
CREATE TABLE "BillingPriceList" (
    "tenantId" TEXT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "devicePrice" DECIMAL(18,6) NOT NULL DEFAULT 0,
    "gbMonthPrice" DECIMAL(18,6) NOT NULL DEFAULT 0,
    "boosterPrices" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BillingPriceList_pkey" PRIMARY KEY ("tenantId")
);

-- CreateIndex
CREATE INDEX "UsageTenantDay_day_idx" ON "UsageTenantDay"("day");

-- CreateIndex
CREATE INDEX "UsageAccountDay_tenantId_day_idx" ON "UsageAccountDay"("tenantId", "day");

-- CreateIndex
CREATE INDEX "UsageAccountDay_day_idx" ON "UsageAccountDay"("day");

-- CreateIndex
CREATE INDEX "UsageDeviceDay_tenantId_day_idx" ON "UsageDeviceDay"("tenantId", "day");

-- CreateIndex
CREATE INDEX "UsageVaultDay_tenantId_day_idx" ON "UsageVaultDay"("tenantId", "day");

-- AddForeignKey
ALTER TABLE "UsageTenantDay" ADD CONSTRAINT "UsageTenantDay_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageAccountDay" ADD CONSTRAINT "UsageAccountDay_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageDeviceDay" ADD CONSTRAINT "UsageDeviceDay_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageVaultDay" ADD CONSTRAINT "UsageVaultDay_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BillingPriceList" ADD CONSTRAINT "BillingPriceList_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
