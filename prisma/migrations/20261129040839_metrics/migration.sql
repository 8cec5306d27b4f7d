-- CreateTable
CREATE TABLE "GuestSample" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "guestId" TEXT NOT NULL,
    "period" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpuPct" REAL NOT NULL,
    "cpuPctMax" REAL NOT NULL,
    "hostMemKiB" REAL NOT NULL,
    "guestSamples" INTEGER NOT NULL,
    "guestMemTotalKiB" REAL,
    "guestMemUsedKiB" REAL,
    "guestLoad1" REAL,
    CONSTRAINT "GuestSample_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HostSample" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "period" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpuCores" INTEGER NOT NULL,
    "cpuPct" REAL NOT NULL,
    "cpuPctMax" REAL NOT NULL,
    "memTotalKiB" REAL NOT NULL,
    "memAvailableKiB" REAL NOT NULL,
    "diskFreeMiB" REAL NOT NULL,
    "ramBackingFreeMiB" REAL NOT NULL,
    "load1" REAL NOT NULL,
    "guestsRunning" REAL NOT NULL,
    "guestAllocatedMiB" REAL NOT NULL,
    "guestCpuPct" REAL NOT NULL,
    "guestHostMemKiB" REAL NOT NULL
);

-- CreateIndex
CREATE INDEX "GuestSample_period_at_idx" ON "GuestSample"("period", "at");

-- CreateIndex
CREATE INDEX "GuestSample_guestId_period_at_idx" ON "GuestSample"("guestId", "period", "at");

-- CreateIndex
CREATE INDEX "HostSample_period_at_idx" ON "HostSample"("period", "at");

