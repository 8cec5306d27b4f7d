import type { NextConfig } from "next";

const config: NextConfig = {
  // The web never spawns processes or opens ptys; these stay out of its bundles entirely.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  typedRoutes: false,
  poweredByHeader: false,
};

export default config;
