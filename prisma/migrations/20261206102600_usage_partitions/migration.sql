-- Usage ledger detail tables partitioned by month (issue 18): UsageAccountDay, UsageDeviceDay and UsageVaultDay
-- grow by (accounts + devices + vaults) rows a day, so at 100,000 accounts a year is ~150 million rows. Declarative
-- RANGE partitions on "day", one per calendar month, keep a report's date range on the months it covers and let old
-- months go as a whole. Prisma does not model partitions: the parent tables keep the names, columns, keys and
-- indexes schema.prisma describes (indexes and the foreign key are declared on the parent and apply to every
-- partition). The partitions are named "<Table>_pYYYYMM" and are created ahead by halley_usage_ensure_partitions(),
-- called by the daily snapshot job and before every snapshot (lib/usage/partitions.ts); there is no DEFAULT
-- partition, so a row for a month without a partition fails loudly instead of landing somewhere unindexed.
-- Existing rows move in this migration (same transaction: all or nothing).

-- Creates the monthly partitions of the three tables for every month from `first` to `last` (inclusive);
-- idempotent, serialised by an advisory lock so two nodes creating the same month do not collide.
CREATE FUNCTION halley_usage_ensure_partitions(first DATE, last DATE) RETURNS INTEGER
LANGUAGE plpgsql AS $fn$
DECLARE
  m DATE := date_trunc('month', first)::date;
  t TEXT;
  name TEXT;
  created INTEGER := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('halley-usage-partitions'));
  WHILE m <= last LOOP
    FOREACH t IN ARRAY ARRAY['UsageAccountDay', 'UsageDeviceDay', 'UsageVaultDay'] LOOP
      name := t || '_p' || to_char(m, 'YYYYMM');
      IF to_regclass(format('%I', name)) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name, t, m, (m + interval '1 month')::date);
        created := created + 1;
      END IF;
    END LOOP;
    m := (m + interval '1 month')::date;
  END LOOP;
  RETURN created;
END
$fn$;

-- The old tables step aside (their constraint and index names are freed for the new parents).
ALTER TABLE "UsageAccountDay" RENAME TO "UsageAccountDay_unpartitioned";
ALTER TABLE "UsageAccountDay_unpartitioned" RENAME CONSTRAINT "UsageAccountDay_pkey" TO "UsageAccountDay_unpartitioned_pkey";
ALTER TABLE "UsageAccountDay_unpartitioned" DROP CONSTRAINT "UsageAccountDay_tenantId_fkey";
DROP INDEX "UsageAccountDay_tenantId_day_idx";
DROP INDEX "UsageAccountDay_day_idx";

ALTER TABLE "UsageDeviceDay" RENAME TO "UsageDeviceDay_unpartitioned";
ALTER TABLE "UsageDeviceDay_unpartitioned" RENAME CONSTRAINT "UsageDeviceDay_pkey" TO "UsageDeviceDay_unpartitioned_pkey";
ALTER TABLE "UsageDeviceDay_unpartitioned" DROP CONSTRAINT "UsageDeviceDay_tenantId_fkey";
DROP INDEX "UsageDeviceDay_tenantId_day_idx";

ALTER TABLE "UsageVaultDay" RENAME TO "UsageVaultDay_unpartitioned";
ALTER TABLE "UsageVaultDay_unpartitioned" RENAME CONSTRAINT "UsageVaultDay_pkey" TO "UsageVaultDay_unpartitioned_pkey";
ALTER TABLE "UsageVaultDay_unpartitioned" DROP CONSTRAINT "UsageVaultDay_tenantId_fkey";
DROP INDEX "UsageVaultDay_tenantId_day_idx";

-- The partitioned parents, exactly as schema.prisma describes them.
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
) PARTITION BY RANGE ("day");

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
) PARTITION BY RANGE ("day");

CREATE TABLE "UsageVaultDay" (
    "tenantId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "vaultId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "username" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "bytes" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "UsageVaultDay_pkey" PRIMARY KEY ("accountId","vaultId","day")
) PARTITION BY RANGE ("day");

CREATE INDEX "UsageAccountDay_tenantId_day_idx" ON "UsageAccountDay"("tenantId", "day");
CREATE INDEX "UsageAccountDay_day_idx" ON "UsageAccountDay"("day");
CREATE INDEX "UsageDeviceDay_tenantId_day_idx" ON "UsageDeviceDay"("tenantId", "day");
CREATE INDEX "UsageVaultDay_tenantId_day_idx" ON "UsageVaultDay"("tenantId", "day");

ALTER TABLE "UsageAccountDay" ADD CONSTRAINT "UsageAccountDay_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "UsageDeviceDay" ADD CONSTRAINT "UsageDeviceDay_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "UsageVaultDay" ADD CONSTRAINT "UsageVaultDay_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Partitions for every month that has rows, and for last month, this month and the next two.
SELECT halley_usage_ensure_partitions(
  LEAST((current_date - interval '1 month')::date, (SELECT min(d) FROM (
    SELECT min("day") AS d FROM "UsageAccountDay_unpartitioned"
    UNION ALL SELECT min("day") FROM "UsageDeviceDay_unpartitioned"
    UNION ALL SELECT min("day") FROM "UsageVaultDay_unpartitioned") x)),
  GREATEST((current_date + interval '2 months')::date, (SELECT max(d) FROM (
    SELECT max("day") AS d FROM "UsageAccountDay_unpartitioned"
    UNION ALL SELECT max("day") FROM "UsageDeviceDay_unpartitioned"
    UNION ALL SELECT max("day") FROM "UsageVaultDay_unpartitioned") x)));

-- Every row moves; the old tables go.
INSERT INTO "UsageAccountDay" SELECT "tenantId", "accountId", "day", "username", "devices", "configuredDevices", "boosters", "boosterCounts", "office365Accounts", "storageBytes", "liveDevices" FROM "UsageAccountDay_unpartitioned";
INSERT INTO "UsageDeviceDay" SELECT "tenantId", "accountId", "deviceId", "day", "username", "friendlyName", "configured", "boosters", "live" FROM "UsageDeviceDay_unpartitioned";
INSERT INTO "UsageVaultDay" SELECT "tenantId", "accountId", "vaultId", "day", "username", "description", "bytes" FROM "UsageVaultDay_unpartitioned";

DROP TABLE "UsageAccountDay_unpartitioned";
DROP TABLE "UsageDeviceDay_unpartitioned";
DROP TABLE "UsageVaultDay_unpartitioned";
