-- AlterTable
ALTER TABLE "AdminUser" ADD COLUMN     "consolePrefs" JSONB NOT NULL DEFAULT '{}';
