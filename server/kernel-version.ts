import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** `linux.uml --version` prints the kernel release; a binary that can't is refused at start-up. */
export async function kernelVersion(binary: string): Promise<string> {
  const { stdout } = await run(binary, ["--version"], { timeout: 10_000 });
  const version = stdout.trim();
  if (!/^\d+\.\d+/.test(version)) throw new Error(`${binary} --version printed ${JSON.stringify(version)}`);
  return version;
}
