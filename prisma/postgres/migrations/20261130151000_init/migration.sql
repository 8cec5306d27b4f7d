-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Image" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "mtime" TIMESTAMP(3),
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "ownerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Guest" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ownerId" TEXT,
    "imageId" TEXT NOT NULL,
    "memoryMiB" INTEGER NOT NULL,
    "kernelArgs" TEXT NOT NULL DEFAULT '[]',
    "network" TEXT NOT NULL DEFAULT 'user',
    "bridgeHost" INTEGER,
    "rootPasswordHash" TEXT,
    "authorizedKeys" TEXT,
    "state" TEXT NOT NULL DEFAULT 'stopped',
    "stateReason" TEXT,
    "pid" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Guest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Boot" (
    "id" TEXT NOT NULL,
    "guestId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "firstOutputAt" TIMESTAMP(3),
    "readyAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "detail" TEXT,
    "logBytes" INTEGER NOT NULL DEFAULT 0,
    "logTruncated" BOOLEAN NOT NULL DEFAULT false,
    "logPrunedAt" TIMESTAMP(3),

    CONSTRAINT "Boot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BootAnalysis" (
    "bootId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "analyzedAt" TIMESTAMP(3) NOT NULL,
    "complete" BOOLEAN NOT NULL,
    "analysis" TEXT NOT NULL,
    "comparison" TEXT NOT NULL,
    "readySeconds" DOUBLE PRECISION,
    "problems" INTEGER NOT NULL,
    "hasFailures" BOOLEAN NOT NULL,
    "regressed" BOOLEAN NOT NULL,
    "summary" TEXT NOT NULL,

    CONSTRAINT "BootAnalysis_pkey" PRIMARY KEY ("bootId")
);

-- CreateTable
CREATE TABLE "Snapshot" (
    "id" TEXT NOT NULL,
    "guestId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuestSample" (
    "id" SERIAL NOT NULL,
    "guestId" TEXT NOT NULL,
    "period" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpuPct" DOUBLE PRECISION NOT NULL,
    "cpuPctMax" DOUBLE PRECISION NOT NULL,
    "hostMemKiB" DOUBLE PRECISION NOT NULL,
    "guestSamples" INTEGER NOT NULL,
    "guestMemTotalKiB" DOUBLE PRECISION,
    "guestMemUsedKiB" DOUBLE PRECISION,
    "guestLoad1" DOUBLE PRECISION,

    CONSTRAINT "GuestSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostSample" (
    "id" SERIAL NOT NULL,
    "period" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpuCores" INTEGER NOT NULL,
    "cpuPct" DOUBLE PRECISION NOT NULL,
    "cpuPctMax" DOUBLE PRECISION NOT NULL,
    "memTotalKiB" DOUBLE PRECISION NOT NULL,
    "memAvailableKiB" DOUBLE PRECISION NOT NULL,
    "diskFreeMiB" DOUBLE PRECISION NOT NULL,
    "ramBackingFreeMiB" DOUBLE PRECISION NOT NULL,
    "load1" DOUBLE PRECISION NOT NULL,
    "guestsRunning" DOUBLE PRECISION NOT NULL,
    "guestAllocatedMiB" DOUBLE PRECISION NOT NULL,
    "guestCpuPct" DOUBLE PRECISION NOT NULL,
    "guestHostMemKiB" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "HostSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "maxGuests" INTEGER,
    "maxMemoryMiB" INTEGER,
    "maxDiskMiB" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "lastUsedIp" TEXT,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT,
    "actor" TEXT,
    "ip" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortForward" (
    "id" TEXT NOT NULL,
    "guestId" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "hostPort" INTEGER NOT NULL,
    "guestPort" INTEGER NOT NULL,

    CONSTRAINT "PortForward_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Image_name_key" ON "Image"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Image_path_key" ON "Image"("path");

-- CreateIndex
CREATE INDEX "Image_ownerId_idx" ON "Image"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "Guest_name_key" ON "Guest"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Guest_bridgeHost_key" ON "Guest"("bridgeHost");

-- CreateIndex
CREATE INDEX "Boot_guestId_startedAt_idx" ON "Boot"("guestId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Boot_guestId_number_key" ON "Boot"("guestId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Snapshot_guestId_name_key" ON "Snapshot"("guestId", "name");

-- CreateIndex
CREATE INDEX "GuestSample_period_at_idx" ON "GuestSample"("period", "at");

-- CreateIndex
CREATE INDEX "GuestSample_guestId_period_at_idx" ON "GuestSample"("guestId", "period", "at");

-- CreateIndex
CREATE INDEX "HostSample_period_at_idx" ON "HostSample"("period", "at");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_secretHash_key" ON "ApiToken"("secretHash");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_userId_name_key" ON "ApiToken"("userId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_hash_key" ON "AuditEntry"("hash");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_actor_at_idx" ON "AuditEntry"("actor", "at");

-- CreateIndex
CREATE INDEX "PortForward_guestId_idx" ON "PortForward"("guestId");

-- CreateIndex
CREATE UNIQUE INDEX "PortForward_protocol_hostPort_key" ON "PortForward"("protocol", "hostPort");

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Guest" ADD CONSTRAINT "Guest_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Guest" ADD CONSTRAINT "Guest_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Boot" ADD CONSTRAINT "Boot_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BootAnalysis" ADD CONSTRAINT "BootAnalysis_bootId_fkey" FOREIGN KEY ("bootId") REFERENCES "Boot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuestSample" ADD CONSTRAINT "GuestSample_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortForward" ADD CONSTRAINT "PortForward_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

