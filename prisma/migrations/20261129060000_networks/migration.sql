-- CreateTable
CREATE TABLE "PortForward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "guestId" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "hostPort" INTEGER NOT NULL,
    "guestPort" INTEGER NOT NULL,
    CONSTRAINT "PortForward_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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
    "rootPasswordHash" TEXT,
    "authorizedKeys" TEXT,
    "state" TEXT NOT NULL DEFAULT 'stopped',
    "stateReason" TEXT,
    "pid" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Guest_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Guest_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Guest" ("createdAt", "id", "imageId", "kernelArgs", "memoryMiB", "name", "ownerId", "pid", "state", "stateReason", "updatedAt") SELECT "createdAt", "id", "imageId", "kernelArgs", "memoryMiB", "name", "ownerId", "pid", "state", "stateReason", "updatedAt" FROM "Guest";
DROP TABLE "Guest";
ALTER TABLE "new_Guest" RENAME TO "Guest";
CREATE UNIQUE INDEX "Guest_name_key" ON "Guest"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PortForward_guestId_idx" ON "PortForward"("guestId");

-- CreateIndex
CREATE UNIQUE INDEX "PortForward_protocol_hostPort_key" ON "PortForward"("protocol", "hostPort");

