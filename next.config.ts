import type { NextConfig } from "next";

const config: NextConfig = {
  // The web never spawns processes or opens ptys; these stay out of its bundles entirely.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg"],
  typedRoutes: false,
  poweredByHeader: false,
  // forbidden(): a role that may not see a page gets a real 403 (app/(app)/forbidden.tsx).
  experimental: { authInterrupts: true },
};

export default config;
