import fs from "node:fs";

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.CORRAL_E2E_DATA_DIR;
  if (dir?.includes("corral-e2e-")) fs.rmSync(dir, { recursive: true, force: true });
}
