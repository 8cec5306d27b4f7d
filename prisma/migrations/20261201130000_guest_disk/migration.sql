-- CreateTable
CREATE TABLE "GuestDisk" (
    "guestId" TEXT NOT NULL PRIMARY KEY,
    "bytes" BIGINT NOT NULL,
    "measuredAt" DATETIME NOT NULL,
    CONSTRAINT "GuestDisk_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
