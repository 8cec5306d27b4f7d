-- CreateTable
CREATE TABLE "ImageCopy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "imageId" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "mtime" DATETIME,
    "state" TEXT NOT NULL DEFAULT 'ready',
    "copiedBytes" BIGINT NOT NULL DEFAULT 0,
    "verifiedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ImageCopy_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ImageCopy_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ImageCopy_hostId_idx" ON "ImageCopy"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "ImageCopy_imageId_hostId_key" ON "ImageCopy"("imageId", "hostId");

