-- DropIndex
DROP INDEX "GuestSample_hostId_period_at_idx";

-- CreateIndex
CREATE INDEX "GuestSample_hostId_period_at_guestId_cpuPct_hostMemKiB_idx" ON "GuestSample"("hostId", "period", "at", "guestId", "cpuPct", "hostMemKiB");

