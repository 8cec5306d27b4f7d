-- AlterTable
ALTER TABLE "AuditEntry" ADD COLUMN     "host" TEXT;

