import type { ImageBuildStage } from "../../lib/shared/protocol";

export interface StageProgress {
  stage: ImageBuildStage;
  /** Within the stage, 0–100; null while the stage's size is unknown. */
  percent: number | null;
}

/**
 * Follows debootstrap's `I:` lines and says which stage a build is in and how far along.
 * debootstrap does not say how many packages it will fetch, nor how many of them it
 * extracts first, so those stages have no percentage; once everything is fetched the
 * total is known (`setPackageCount`), and unpacking plus configuring every package does.
 */
export class DebootstrapProgress {
  private stage: ImageBuildStage = "download";
  private total = 0;
  private installed = 0;
  private downloaded = 0;

  get current(): ImageBuildStage {
    return this.stage;
  }

  get packagesDownloaded(): number {
    return this.downloaded;
  }

  setPackageCount(total: number): void {
    this.total = total;
  }

  /** The progress after `line`, or null when the line says nothing about it. */
  feed(line: string): StageProgress | null {
    const m = /^I: (\S+)(?: (\S+))?/.exec(line);
    if (!m) return null;
    const [, verb, what] = m;
    switch (verb) {
      case "Retrieving":
      case "Validating":
        if (verb === "Validating" && what && what !== "Packages") this.downloaded++;
        return this.at("download", null);
      case "Chosen":
      case "Extracting":
        return this.at("extract", null);
      case "Installing":
      case "Unpacking":
      case "Configuring":
        if (what && !/^(required|the|core)$/.test(what)) this.installed++;
        return this.at("configure", this.ratio(this.installed, 2 * this.total));
      case "Base":
        return this.at("configure", 100);
      default:
        return null;
    }
  }

  private at(stage: ImageBuildStage, percent: number | null): StageProgress {
    this.stage = stage;
    return { stage, percent };
  }

  private ratio(n: number, of: number): number | null {
    return of > 0 ? Math.min(99, Math.floor((100 * n) / of)) : null;
  }
}

/** Packages in debootstrap's `debpaths` list (a line per downloaded package). */
export function countPackages(debpaths: string): number {
  return debpaths.split("\n").filter((l) => l.trim()).length;
}
