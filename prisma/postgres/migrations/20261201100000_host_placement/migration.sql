-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "contextGuests" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "guestMemoryMiB" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "maintenance" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "missingImages" TEXT NOT NULL DEFAULT '[]';
