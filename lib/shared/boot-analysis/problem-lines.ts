// Spots, in live console output, a line the boot's analysis would count as a problem — so
// that a boot past readiness is analysed again only when it printed one, not for every
// prompt or banner (two hundred guests booting at once print a banner each).
import { classifyLine, stripPrintkTime } from "./classify-line";
import { ConsoleLineSplitter } from "./console-lines";
import { PROBLEM_SEVERITY } from "./types";

export class ProblemLineSpotter {
  private readonly lines = new ConsoleLineSplitter<null>();
  private spotted = false;

  /** Feeds one chunk of output; true when a line it completed is a problem. */
  feed(data: string): boolean {
    this.spotted = false;
    this.lines.feed(data, null, (line) => {
      if (!this.spotted) this.spotted = isProblem(line.text);
    });
    return this.spotted;
  }
}

function isProblem(line: string): boolean {
  const sign = classifyLine(stripPrintkTime(line).text);
  return sign !== null && PROBLEM_SEVERITY[sign.kind as keyof typeof PROBLEM_SEVERITY] !== undefined;
}
