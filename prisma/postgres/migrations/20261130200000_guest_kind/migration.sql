-- AlterTable
ALTER TABLE "Guest" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'uml';

