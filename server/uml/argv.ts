import { kernelArgSchema } from "../../lib/protocol";

export interface KernelSpec {
  umid: string;
  runDir: string;
  cowPath: string;
  imagePath: string;
  memoryMiB: number;
  notifySocket: string;
  extraArgs: readonly string[];
}

/**
 * The kernel's argv, one element per argument — never a shell string. Extra arguments are
 * re-checked against the allow-list here too, so no caller can smuggle in `ubd1=` or `con=`.
 */
export function buildKernelArgv(spec: KernelSpec): string[] {
  for (const arg of spec.extraArgs) {
    if (!kernelArgSchema.safeParse(arg).success) {
      throw new Error(`kernel argument not allowed: ${JSON.stringify(arg)}`);
    }
  }
  if (!Number.isInteger(spec.memoryMiB) || spec.memoryMiB <= 0) {
    throw new Error(`invalid memory size: ${spec.memoryMiB}`);
  }
  return [
    `umid=${spec.umid}`,
    `uml_dir=${spec.runDir}`,
    `ubd0=${spec.cowPath},${spec.imagePath}`,
    `mem=${spec.memoryMiB}M`,
    "root=/dev/ubda",
    // con0 is the console the daemon holds; every other console and serial line is off.
    "con=null",
    "ssl=null",
    "con0=fd:0,fd:1",
    `mconsole=notify:${spec.notifySocket}`,
    ...spec.extraArgs,
  ];
}
