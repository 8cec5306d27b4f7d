-- AlterTable
ALTER TABLE "Guest" ADD COLUMN     "hostId" TEXT;

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "heartbeatSeconds" INTEGER NOT NULL DEFAULT 10;

-- CreateIndex
CREATE INDEX "Guest_hostId_idx" ON "Guest"("hostId");

-- AddForeignKey
ALTER TABLE "Guest" ADD CONSTRAINT "Guest_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

