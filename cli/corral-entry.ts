// The CLI's entry as a module of its own: cli/corral.mjs (through tsx) does the same; the tests'
// prebuilt CLI (cli/test-build.ts) starts here.
import { main } from "./main";

process.exitCode = await main(process.argv);
