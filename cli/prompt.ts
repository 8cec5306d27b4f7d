// Reading what a person types: a line, or a password without echo. Scripts pipe the
// password instead (stdin not a terminal): its first line is read.
import { CliError, EXIT } from "./exit-codes";

export async function readStdinLine(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/)[0];
}

/** Prompts on stderr; echoes nothing when `secret`. Ctrl-C or Ctrl-D aborts (exit 2). */
export async function promptLine(question: string, secret = false): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new CliError(`${question.replace(/:\s*$/, "")} is needed: give it as an option.`, EXIT.usage);
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = "";
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === "\r" || ch === "\n") {
            stdin.off("data", onData);
            return resolve(value);
          }
          if (ch === "\u0003" || ch === "\u0004") {
            stdin.off("data", onData);
            return reject(new CliError("Cancelled.", EXIT.usage));
          }
          if (ch === "\u007f" || ch === "\b") {
            if (value && !secret) process.stderr.write("\b \b");
            value = value.slice(0, -1);
          } else if (ch >= " ") {
            value += ch;
            if (!secret) process.stderr.write(ch);
          }
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write("\n");
  }
}
