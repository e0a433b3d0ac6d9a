-- Login protection counts an attempt before its slow password check: each attempt in flight holds one
-- of FailureThreshold slots of its (username, address) subject, as "<expiry epoch ms>:<random>".
-- AlterTable
ALTER TABLE "LoginFailure" ADD COLUMN     "reservations" TEXT[] DEFAULT ARRAY[]::TEXT[];
