// `npm run audit:verify`: checks the audit trail's hash chain in CORRAL_DATA_DIR (default
// ./data) without the daemon. Exit code 0 if intact, 1 if not, 2 on other errors.
import path from "node:path";
import { AuditLog } from "../server/audit/audit-log";
import { dataDirectory } from "../lib/server/database-url";
import { openDatabase } from "../server/db";

async function main(): Promise<number> {
  const db = openDatabase();
  try {
    const result = await new AuditLog(db, path.join(dataDirectory(), "audit-head.json")).verify();
    if (result.ok) {
      console.log(`audit trail intact: ${result.entries} entries`);
      return 0;
    }
    console.log(
      `audit trail BROKEN at entry ${result.brokenAt}: ${result.reason} (${result.entries} entries before it check out)`,
    );
    return 1;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`audit:verify: ${err instanceof Error ? err.message : err}`);
    process.exit(2);
  },
);
