-- DropIndex
DROP INDEX "GuestSample_guestId_period_at_idx";

-- CreateIndex
CREATE INDEX "GuestSample_guestId_period_at_covering_idx" ON "GuestSample"("guestId", "period", "at", "hostId", "samples", "cpuPct", "hostMemKiB");
