import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["server/**/*.test.ts", "lib/**/*.test.ts", "cli/**/*.test.ts"],
          exclude: ["**/*.int.test.ts"],
          // Deadlines catch hangs only (the default 5 s is a timing threshold on a loaded machine).
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["server/**/*.int.test.ts", "cli/**/*.int.test.ts"],
          // CORRAL_TEST_DATABASE=postgres: daemons stand on a throwaway PostgreSQL cluster.
          globalSetup: ["server/test-support/pg-global-setup.ts"],
          // Real kernels: one file at a time keeps two cores from being oversubscribed.
          fileParallelism: false,
          // Deadlines catch hangs only: a slow machine must not fail a test that would pass.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
