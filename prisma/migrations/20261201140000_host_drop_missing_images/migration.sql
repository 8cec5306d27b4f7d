-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "heartbeatSeconds" INTEGER NOT NULL DEFAULT 10,
    "guestMemoryMiB" INTEGER NOT NULL DEFAULT 0,
    "contextGuests" BOOLEAN NOT NULL DEFAULT false,
    "maintenance" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Host" ("address", "contextGuests", "cores", "diskFreeMiB", "guestMemoryMiB", "heartbeatSeconds", "id", "kernel", "lastSeenAt", "maintenance", "memoryMiB", "name", "startedAt", "version") SELECT "address", "contextGuests", "cores", "diskFreeMiB", "guestMemoryMiB", "heartbeatSeconds", "id", "kernel", "lastSeenAt", "maintenance", "memoryMiB", "name", "startedAt", "version" FROM "Host";
DROP TABLE "Host";
ALTER TABLE "new_Host" RENAME TO "Host";
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

