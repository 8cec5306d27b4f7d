-- AlterTable
ALTER TABLE "Host" DROP COLUMN "missingImages";

