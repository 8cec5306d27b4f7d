-- AlterTable
ALTER TABLE "GuestSample" ADD COLUMN "hostId" TEXT;

-- AlterTable
ALTER TABLE "HostSample" ADD COLUMN "hostId" TEXT;

-- CreateIndex
CREATE INDEX "GuestSample_hostId_period_at_idx" ON "GuestSample"("hostId", "period", "at");

-- CreateIndex
CREATE INDEX "HostSample_hostId_period_at_idx" ON "HostSample"("hostId", "period", "at");


-- Samples from before hosts existed were taken by the one host there was: with exactly one
-- host registered they are its own. Otherwise they stay null, and a daemon that finds itself
-- alone in its database adopts them at start (server/metrics/metrics-store.ts).
UPDATE "GuestSample" SET "hostId" = (SELECT "id" FROM "Host") WHERE "hostId" IS NULL AND (SELECT COUNT(*) FROM "Host") = 1;
UPDATE "HostSample" SET "hostId" = (SELECT "id" FROM "Host") WHERE "hostId" IS NULL AND (SELECT COUNT(*) FROM "Host") = 1;
