-- CreateTable
CREATE TABLE "ImageCopy" (
    "id" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "mtime" TIMESTAMP(3),
    "state" TEXT NOT NULL DEFAULT 'ready',
    "copiedBytes" BIGINT NOT NULL DEFAULT 0,
    "verifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImageCopy_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImageCopy_hostId_idx" ON "ImageCopy"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "ImageCopy_imageId_hostId_key" ON "ImageCopy"("imageId", "hostId");

-- AddForeignKey
ALTER TABLE "ImageCopy" ADD CONSTRAINT "ImageCopy_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageCopy" ADD CONSTRAINT "ImageCopy_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

