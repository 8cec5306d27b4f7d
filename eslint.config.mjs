// `npm run lint`: Next's rules (React, React hooks, Next, accessibility, imports), the
// typescript-eslint recommended set, and Corral's layers as import rules, so an arrow that
// points the wrong way fails the build instead of waiting for a review (DESIGN.md, "Layers
// on the web side").
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const NEXT = ["next", "next/*", "server-only", "client-only"];

// Files of lib/server the daemon shares with the web (no "server-only", no Next).
const DAEMON_SAFE = [
  "./database.ts",
  "./raw-statement.ts",
  "./database-url.ts",
  "./sqlite-adapter.ts",
  "./statement-cache.ts",
  "./postgres-adapter.ts",
  "./postgres-schema.ts",
  "./prisma-errors.ts",
  "./session-token.ts",
  "./reads",
];

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  globalIgnores([
    ".next/**",
    "generated/**",
    "vendor/**",
    "data/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),

  {
    name: "corral/typescript",
    rules: {
      // `_`-prefixed names and rest siblings are deliberately unused (omitting a key).
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },

  {
    name: "corral/daemon-tests",
    // Tests and their harness read JSON answers loosely; typed properly they would say more,
    // but an `any` there cannot reach a user. Shown as warnings until they are typed.
    files: ["server/**/*.test.ts", "server/test-support/**"],
    rules: { "@typescript-eslint/no-explicit-any": "warn" },
  },

  // The layers. Paths are resolved (tsconfig's "@/" included), so "@/lib/server/x" and
  // "../server/x" are the same import to these rules.
  {
    name: "corral/layers",
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./lib/shared",
              from: ["./lib/server", "./lib/client", "./components", "./app", "./server"],
              message: "lib/shared runs anywhere (browser, web server, daemon): it imports only lib/shared.",
            },
            {
              target: "./lib/client",
              from: ["./lib/server", "./components", "./app", "./server"],
              message: "lib/client runs in the browser: it imports lib/shared and lib/client only.",
            },
            {
              target: "./lib/server",
              from: ["./lib/client", "./components", "./app", "./server"],
              message:
                "lib/server is the web server's (some of it the daemon's too): it imports lib/shared and lib/server only.",
            },
            {
              target: ["./app", "./components"],
              from: "./server",
              message: "The web never imports the daemon (server/): ask it over its API, or share code through lib/.",
            },
            {
              target: "./server",
              from: ["./lib/client", "./components", "./app"],
              message: "The daemon imports lib/shared and lib/server only.",
            },
            {
              // The rest of lib/server is the web's ("server-only": it throws outside Next).
              target: "./server",
              from: "./lib/server",
              except: DAEMON_SAFE,
              message:
                "Of lib/server the daemon uses the database (database.ts, database-url.ts, raw-statement.ts, sqlite-adapter.ts, postgres-adapter.ts, postgres-schema.ts, prisma-errors.ts), the read model (reads/) and session-token.ts only.",
            },
            {
              // What the daemon uses must stay usable outside Next: none of the web's own modules.
              target: DAEMON_SAFE.map((p) => `./lib/server/${p.slice(2)}`),
              from: "./lib/server",
              except: DAEMON_SAFE,
              message: "This part of lib/server runs in the daemon too: it may not use the web's own modules.",
            },
          ],
        },
      ],
    },
  },
  {
    name: "corral/lib-shared",
    files: ["lib/shared/**"],
    // Tests and their helpers (`*.test-support.ts`) run under Node and may use it.
    ignores: ["**/*.test.ts", "**/*.test-support.ts"],
    rules: {
      "import/no-nodejs-modules": ["error"],
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: NEXT, message: "lib/shared runs anywhere: no Next.js here (lib/server or components)." }],
        },
      ],
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message:
            "lib/shared reads no environment: take the value as a parameter (lib/server/env.ts, server/config.ts).",
        },
      ],
    },
  },
  {
    name: "corral/daemon-safe",
    files: [
      "lib/server/database.ts",
      "lib/server/database-url.ts",
      "lib/server/prisma-errors.ts",
      "lib/server/session-token.ts",
      "lib/server/reads/**",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "server-only", message: "The daemon imports this file too: server-only would throw there." }],
          patterns: [{ group: NEXT, message: "The daemon imports this file too: no Next.js here." }],
        },
      ],
    },
  },
  {
    // The command line speaks to the daemon over its API only, like the browser: lib/shared,
    // and lib/client's DOM-free console session and upload helpers. Its tests use the
    // daemon's test harness.
    name: "corral/cli",
    files: ["cli/**"],
    ignores: ["cli/**/*.test.ts", "cli/test-support.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/server/**", "**/lib/server/**", "**/app/**", "**/components/**", "@/*"],
              message: "The CLI uses lib/shared (and lib/client's console session); it asks the daemon over its API.",
            },
            { group: NEXT, message: "The CLI does not use Next.js." },
          ],
        },
      ],
    },
  },
  {
    name: "corral/daemon",
    files: ["server/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: NEXT, message: "The daemon does not use Next.js." }] }],
    },
  },
]);
