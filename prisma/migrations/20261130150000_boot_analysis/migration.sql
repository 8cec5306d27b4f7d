-- CreateTable
CREATE TABLE "BootAnalysis" (
    "bootId" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "analyzedAt" DATETIME NOT NULL,
    "complete" BOOLEAN NOT NULL,
    "analysis" TEXT NOT NULL,
    "comparison" TEXT NOT NULL,
    "readySeconds" REAL,
    "problems" INTEGER NOT NULL,
    "hasFailures" BOOLEAN NOT NULL,
    "regressed" BOOLEAN NOT NULL,
    "summary" TEXT NOT NULL,
    CONSTRAINT "BootAnalysis_bootId_fkey" FOREIGN KEY ("bootId") REFERENCES "Boot" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

