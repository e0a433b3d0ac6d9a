-- AlterTable
ALTER TABLE "NewsItem" ADD COLUMN     "seq" BIGSERIAL NOT NULL;
