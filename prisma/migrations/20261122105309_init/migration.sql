-- CreateTable
CREATE TABLE "Tenant" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isTopLevel" BOOLEAN NOT NULL DEFAULT false,
    "isSuspended" BOOLEAN NOT NULL DEFAULT false,
    "hosts" TEXT[],
    "data" JSONB NOT NULL DEFAULT '{}',
    "secrets" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdminUser" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "allowPasswordLogin" BOOLEAN NOT NULL DEFAULT true,
    "allowPasswordAndTotpLogin" BOOLEAN NOT NULL DEFAULT false,
    "allowPasswordAndWebAuthnLogin" BOOLEAN NOT NULL DEFAULT false,
    "totpSecret" TEXT,
    "totpPendingSecret" TEXT,
    "requirePasswordChange" BOOLEAN NOT NULL DEFAULT false,
    "ipWhitelist" TEXT NOT NULL DEFAULT '',
    "externalAuthSource" TEXT NOT NULL DEFAULT '',
    "permissions" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastLoginAt" TIMESTAMP(3),

    CONSTRAINT "AdminUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdminWebAuthnCredential" (
    "id" TEXT NOT NULL,
    "adminId" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "publicKey" BYTEA NOT NULL,
    "counter" BIGINT NOT NULL DEFAULT 0,
    "transports" TEXT[],
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "AdminWebAuthnCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "adminId" TEXT,
    "accountId" TEXT,
    "upgraded" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "accountName" TEXT NOT NULL DEFAULT '',
    "localTimezone" TEXT NOT NULL DEFAULT '',
    "languageCode" TEXT NOT NULL DEFAULT '',
    "groupId" TEXT NOT NULL DEFAULT '',
    "emails" TEXT[],
    "sendEmailReports" BOOLEAN NOT NULL DEFAULT false,
    "supportsDeviceAssociations" BOOLEAN NOT NULL DEFAULT false,
    "isSuspended" BOOLEAN NOT NULL DEFAULT false,
    "lastSuspended" BIGINT,
    "allProtectedItemsQuotaEnabled" BOOLEAN NOT NULL DEFAULT false,
    "allProtectedItemsQuotaBytes" BIGINT NOT NULL DEFAULT 0,
    "maximumDevices" BIGINT NOT NULL DEFAULT 0,
    "quotaOffice365ProtectedAccounts" BIGINT NOT NULL DEFAULT 0,
    "quotaHyperVGuests" BIGINT NOT NULL DEFAULT 0,
    "quotaVMwareGuests" BIGINT NOT NULL DEFAULT 0,
    "policyId" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT NOT NULL DEFAULT '',
    "allowPasswordLogin" BOOLEAN NOT NULL DEFAULT true,
    "allowPasswordAndTotpLogin" BOOLEAN NOT NULL DEFAULT false,
    "totpSecret" TEXT,
    "requirePasswordChange" BOOLEAN NOT NULL DEFAULT false,
    "createTime" BIGINT NOT NULL DEFAULT 0,
    "creationGuid" TEXT NOT NULL DEFAULT '',
    "autoStorageTemplateGuid" TEXT NOT NULL DEFAULT '',
    "linuxHomedirSandbox" BOOLEAN NOT NULL DEFAULT false,
    "data" JSONB NOT NULL DEFAULT '{}',
    "secrets" TEXT,
    "secretStamp" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Device" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "friendlyName" TEXT NOT NULL DEFAULT '',
    "registrationTime" BIGINT,
    "clientVersion" TEXT,
    "timezone" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Device_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StorageVault" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "vaultId" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "destinationType" BIGINT NOT NULL DEFAULT 0,
    "createTime" BIGINT NOT NULL DEFAULT 0,
    "modifyTime" BIGINT NOT NULL DEFAULT 0,
    "storageLimitEnabled" BOOLEAN NOT NULL DEFAULT false,
    "storageLimitBytes" BIGINT NOT NULL DEFAULT 0,
    "data" JSONB NOT NULL DEFAULT '{}',
    "secrets" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StorageVault_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProtectedItem" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "engine" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "ownerDevice" TEXT NOT NULL DEFAULT '',
    "createTime" BIGINT NOT NULL DEFAULT 0,
    "modifyTime" BIGINT NOT NULL DEFAULT 0,
    "data" JSONB NOT NULL DEFAULT '{}',
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ProtectedItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackupRule" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "sourceId" TEXT NOT NULL DEFAULT '',
    "destinationId" TEXT NOT NULL DEFAULT '',
    "createTime" BIGINT NOT NULL DEFAULT 0,
    "modifyTime" BIGINT NOT NULL DEFAULT 0,
    "schedules" JSONB NOT NULL DEFAULT '[]',
    "data" JSONB NOT NULL DEFAULT '{}',
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BackupRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Policy" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "defaultUserPolicy" BOOLEAN NOT NULL DEFAULT false,
    "policy" JSONB NOT NULL DEFAULT '{}',
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdDate" BIGINT NOT NULL DEFAULT 0,
    "modifiedDate" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT,
    "username" TEXT NOT NULL,
    "classification" INTEGER NOT NULL DEFAULT 0,
    "status" INTEGER NOT NULL DEFAULT 0,
    "startTime" BIGINT NOT NULL DEFAULT 0,
    "endTime" BIGINT NOT NULL DEFAULT 0,
    "sourceGuid" TEXT NOT NULL DEFAULT '',
    "destinationGuid" TEXT NOT NULL DEFAULT '',
    "deviceId" TEXT NOT NULL DEFAULT '',
    "snapshotId" TEXT NOT NULL DEFAULT '',
    "backupRuleGuid" TEXT NOT NULL DEFAULT '',
    "clientVersion" TEXT NOT NULL DEFAULT '',
    "totalDirectories" BIGINT NOT NULL DEFAULT 0,
    "totalFiles" BIGINT NOT NULL DEFAULT 0,
    "totalSize" BIGINT NOT NULL DEFAULT 0,
    "totalChunks" BIGINT NOT NULL DEFAULT 0,
    "uploadSize" BIGINT NOT NULL DEFAULT 0,
    "downloadSize" BIGINT NOT NULL DEFAULT 0,
    "cancellationId" TEXT NOT NULL DEFAULT '',
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobLogEntry" (
    "id" BIGSERIAL NOT NULL,
    "jobId" TEXT NOT NULL,
    "time" BIGINT NOT NULL,
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "JobLogEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" TEXT NOT NULL,
    "type" INTEGER NOT NULL,
    "actor" TEXT NOT NULL DEFAULT '',
    "resourceId" TEXT NOT NULL DEFAULT '',
    "data" JSONB,
    "timestamp" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AdminUser_username_key" ON "AdminUser"("username");

-- CreateIndex
CREATE INDEX "AdminUser_tenantId_idx" ON "AdminUser"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "AdminWebAuthnCredential_credentialId_key" ON "AdminWebAuthnCredential"("credentialId");

-- CreateIndex
CREATE INDEX "AdminWebAuthnCredential_adminId_idx" ON "AdminWebAuthnCredential"("adminId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_keyHash_key" ON "Session"("keyHash");

-- CreateIndex
CREATE INDEX "Session_adminId_idx" ON "Session"("adminId");

-- CreateIndex
CREATE INDEX "Session_accountId_idx" ON "Session"("accountId");

-- CreateIndex
CREATE INDEX "Session_tenantId_idx" ON "Session"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "Account_username_key" ON "Account"("username");

-- CreateIndex
CREATE INDEX "Account_tenantId_username_idx" ON "Account"("tenantId", "username");

-- CreateIndex
CREATE INDEX "Device_tenantId_idx" ON "Device"("tenantId");

-- CreateIndex
CREATE INDEX "Device_deviceId_idx" ON "Device"("deviceId");

-- CreateIndex
CREATE UNIQUE INDEX "Device_accountId_deviceId_key" ON "Device"("accountId", "deviceId");

-- CreateIndex
CREATE INDEX "StorageVault_tenantId_idx" ON "StorageVault"("tenantId");

-- CreateIndex
CREATE INDEX "StorageVault_description_idx" ON "StorageVault"("description");

-- CreateIndex
CREATE UNIQUE INDEX "StorageVault_accountId_vaultId_key" ON "StorageVault"("accountId", "vaultId");

-- CreateIndex
CREATE INDEX "ProtectedItem_tenantId_idx" ON "ProtectedItem"("tenantId");

-- CreateIndex
CREATE INDEX "ProtectedItem_ownerDevice_idx" ON "ProtectedItem"("ownerDevice");

-- CreateIndex
CREATE UNIQUE INDEX "ProtectedItem_accountId_itemId_key" ON "ProtectedItem"("accountId", "itemId");

-- CreateIndex
CREATE INDEX "BackupRule_tenantId_idx" ON "BackupRule"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "BackupRule_accountId_ruleId_key" ON "BackupRule"("accountId", "ruleId");

-- CreateIndex
CREATE INDEX "Policy_tenantId_idx" ON "Policy"("tenantId");

-- CreateIndex
CREATE INDEX "Job_tenantId_startTime_idx" ON "Job"("tenantId", "startTime");

-- CreateIndex
CREATE INDEX "Job_accountId_idx" ON "Job"("accountId");

-- CreateIndex
CREATE INDEX "Job_username_startTime_idx" ON "Job"("username", "startTime");

-- CreateIndex
CREATE INDEX "Job_status_idx" ON "Job"("status");

-- CreateIndex
CREATE INDEX "JobLogEntry_jobId_id_idx" ON "JobLogEntry"("jobId", "id");

-- CreateIndex
CREATE INDEX "Event_tenantId_id_idx" ON "Event"("tenantId", "id");

-- CreateIndex
CREATE INDEX "Event_type_idx" ON "Event"("type");

-- AddForeignKey
ALTER TABLE "AdminUser" ADD CONSTRAINT "AdminUser_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdminWebAuthnCredential" ADD CONSTRAINT "AdminWebAuthnCredential_adminId_fkey" FOREIGN KEY ("adminId") REFERENCES "AdminUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_adminId_fkey" FOREIGN KEY ("adminId") REFERENCES "AdminUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Device" ADD CONSTRAINT "Device_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Device" ADD CONSTRAINT "Device_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StorageVault" ADD CONSTRAINT "StorageVault_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StorageVault" ADD CONSTRAINT "StorageVault_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProtectedItem" ADD CONSTRAINT "ProtectedItem_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProtectedItem" ADD CONSTRAINT "ProtectedItem_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackupRule" ADD CONSTRAINT "BackupRule_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackupRule" ADD CONSTRAINT "BackupRule_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Policy" ADD CONSTRAINT "Policy_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobLogEntry" ADD CONSTRAINT "JobLogEntry_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
