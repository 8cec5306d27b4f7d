#!/usr/bin/env node
// The `corral` command (package.json "bin"). Plain JavaScript so that Node runs it as it is;
// it registers tsx in this process (no child process to leave behind) and loads the CLI.
import { register } from "tsx/esm/api";

register();
await import("./corral-entry.ts");
