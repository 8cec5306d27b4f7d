-- AlterTable
ALTER TABLE "Guest" ADD COLUMN "bridgeHost" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "Guest_bridgeHost_key" ON "Guest"("bridgeHost");
