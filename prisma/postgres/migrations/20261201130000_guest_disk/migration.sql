-- CreateTable
CREATE TABLE "GuestDisk" (
    "guestId" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "measuredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GuestDisk_pkey" PRIMARY KEY ("guestId")
);

-- AddForeignKey
ALTER TABLE "GuestDisk" ADD CONSTRAINT "GuestDisk_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

