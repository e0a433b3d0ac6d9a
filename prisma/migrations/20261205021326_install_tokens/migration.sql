-- admin/create-install-token: one-time install tokens (only their keyed digest), redeemed by a device hello of kind "install-token".
-- CreateTable
CREATE TABLE "InstallToken" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "tokenDigest" TEXT NOT NULL,
    "server" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedByDevice" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "InstallToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InstallToken_tokenDigest_key" ON "InstallToken"("tokenDigest");

-- CreateIndex
CREATE INDEX "InstallToken_tenantId_idx" ON "InstallToken"("tenantId");

-- CreateIndex
CREATE INDEX "InstallToken_accountId_idx" ON "InstallToken"("accountId");

-- AddForeignKey
ALTER TABLE "InstallToken" ADD CONSTRAINT "InstallToken_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstallToken" ADD CONSTRAINT "InstallToken_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
