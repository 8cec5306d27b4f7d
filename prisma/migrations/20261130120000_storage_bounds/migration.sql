-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Image" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "mtime" DATETIME,
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "ownerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Image_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Image" ("builtIn", "createdAt", "id", "mtime", "name", "path", "sha256", "sizeBytes") SELECT "builtIn", "createdAt", "id", "mtime", "name", "path", "sha256", "sizeBytes" FROM "Image";
DROP TABLE "Image";
ALTER TABLE "new_Image" RENAME TO "Image";
CREATE UNIQUE INDEX "Image_name_key" ON "Image"("name");
CREATE UNIQUE INDEX "Image_path_key" ON "Image"("path");
CREATE INDEX "Image_ownerId_idx" ON "Image"("ownerId");
CREATE TABLE "new_Boot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "guestId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "firstOutputAt" DATETIME,
    "readyAt" DATETIME,
    "endedAt" DATETIME,
    "outcome" TEXT,
    "detail" TEXT,
    "logBytes" INTEGER NOT NULL DEFAULT 0,
    "logTruncated" BOOLEAN NOT NULL DEFAULT false,
    "logPrunedAt" DATETIME,
    CONSTRAINT "Boot_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Boot" ("detail", "endedAt", "firstOutputAt", "guestId", "id", "logBytes", "number", "outcome", "readyAt", "startedAt") SELECT "detail", "endedAt", "firstOutputAt", "guestId", "id", "logBytes", "number", "outcome", "readyAt", "startedAt" FROM "Boot";
DROP TABLE "Boot";
ALTER TABLE "new_Boot" RENAME TO "Boot";
CREATE INDEX "Boot_guestId_startedAt_idx" ON "Boot"("guestId", "startedAt");
CREATE UNIQUE INDEX "Boot_guestId_number_key" ON "Boot"("guestId", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

