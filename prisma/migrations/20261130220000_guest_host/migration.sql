-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Guest" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "kind" TEXT NOT NULL DEFAULT 'uml',
    "hostId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Guest_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Guest_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Guest_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Guest" ("authorizedKeys", "bridgeHost", "createdAt", "id", "imageId", "kernelArgs", "kind", "memoryMiB", "name", "network", "ownerId", "pid", "rootPasswordHash", "state", "stateReason", "updatedAt") SELECT "authorizedKeys", "bridgeHost", "createdAt", "id", "imageId", "kernelArgs", "kind", "memoryMiB", "name", "network", "ownerId", "pid", "rootPasswordHash", "state", "stateReason", "updatedAt" FROM "Guest";
DROP TABLE "Guest";
ALTER TABLE "new_Guest" RENAME TO "Guest";
CREATE UNIQUE INDEX "Guest_name_key" ON "Guest"("name");
CREATE UNIQUE INDEX "Guest_bridgeHost_key" ON "Guest"("bridgeHost");
CREATE INDEX "Guest_hostId_idx" ON "Guest"("hostId");
CREATE TABLE "new_Host" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "cores" INTEGER NOT NULL,
    "memoryMiB" INTEGER NOT NULL,
    "diskFreeMiB" INTEGER NOT NULL,
    "kernel" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "heartbeatSeconds" INTEGER NOT NULL DEFAULT 10
);
INSERT INTO "new_Host" ("address", "cores", "diskFreeMiB", "id", "kernel", "lastSeenAt", "memoryMiB", "name", "startedAt", "version") SELECT "address", "cores", "diskFreeMiB", "id", "kernel", "lastSeenAt", "memoryMiB", "name", "startedAt", "version" FROM "Host";
DROP TABLE "Host";
ALTER TABLE "new_Host" RENAME TO "Host";
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

