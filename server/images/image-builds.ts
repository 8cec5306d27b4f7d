import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  debianBuildSchema,
  imageBuildIdSchema,
  type ImageBuildEvent,
  type ImageBuildView,
} from "../../lib/shared/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import { conflict, notFound, parseInput, unavailable } from "../errors";
import { logger } from "../log";
import { BuildCancelled, removeStaging } from "./build-process";
import { buildDebianImage, debianBuildUnavailable } from "./debian-build";
import { imagesDir, registerImage } from "./image-library";

const log = logger("image-builds");
const KEEP_BUILDS = 20;

/**
 * Debian image builds, one at a time per data directory (a lock file also keeps the CLI and
 * the daemon from building at once). Each build keeps its log in `images/builds/<id>.log`
 * and its record beside it (`<id>.json`); everything else a failed or cancelled build made
 * is removed.
 */
export class ImageBuilds {
  private current: { view: ImageBuildView; abort: AbortController; done: Promise<ImageBuildView> } | null = null;
  readonly dir: string;

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly emit: (e: ImageBuildEvent) => void = () => {},
  ) {
    this.dir = path.join(imagesDir(config.dataDir), "builds");
  }

  private stagingDir(id: string): string {
    return path.join(imagesDir(this.config.dataDir), "staging", id);
  }

  /** After a crash: builds recorded as running did not finish; their leftovers go. */
  recover(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    for (const view of this.list()) {
      if (view.status !== "running" || this.lockHolder() !== null) continue;
      removeStaging(this.stagingDir(view.id));
      fs.rmSync(path.join(imagesDir(this.config.dataDir), `${view.name}.img.partial`), { force: true });
      this.save({
        ...view,
        status: "failed",
        endedAt: new Date().toISOString(),
        error: "Interrupted: Corral stopped.",
      });
    }
  }

  list(): ImageBuildView[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => this.read(f.slice(0, -5)))
      .filter((v): v is ImageBuildView => v !== null)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  get(rawId: string): ImageBuildView {
    const id = imageBuildIdSchema.safeParse(rawId);
    const view = id.success ? this.read(id.data) : null;
    if (!view) throw notFound("No such image build.");
    return view;
  }

  logPath(rawId: string): string {
    return path.join(this.dir, `${this.get(rawId).id}.log`);
  }

  /** Validates and starts a build; resolves once it is under way (`done` when it ends). */
  async start(input: unknown): Promise<{ view: ImageBuildView; done: Promise<ImageBuildView> }> {
    const spec = parseInput(debianBuildSchema, input);
    const why = debianBuildUnavailable();
    if (why) throw unavailable(why);
    if (await this.db.image.findUnique({ where: { name: spec.name }, select: { id: true } })) {
      throw conflict(`An image named "${spec.name}" already exists.`);
    }
    if (this.current) throw conflict(`The build of "${this.current.view.name}" is still running; one at a time.`);
    fs.mkdirSync(this.dir, { recursive: true });
    const holder = this.lockHolder();
    if (holder !== null) throw conflict(`Another Debian build is running (process ${holder}); one at a time.`);
    const id = `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
    fs.writeFileSync(this.lockFile, String(process.pid), { flag: "wx" });
    const view: ImageBuildView = {
      id,
      ...spec,
      status: "running",
      stage: "download",
      percent: null,
      startedAt: new Date().toISOString(),
      endedAt: null,
      error: null,
      imageId: null,
    };
    this.save(view);
    this.prune();
    const abort = new AbortController();
    const done = this.run(view, abort.signal);
    this.current = { view, abort, done };
    this.emit({ buildId: id, stage: view.stage, percent: null, line: null, build: view });
    return { view, done };
  }

  cancel(rawId: string): ImageBuildView {
    const view = this.get(rawId);
    if (this.current?.view.id !== view.id) throw conflict("That build is not running.");
    this.current.abort.abort();
    return view;
  }

  /** Cancels the running build, if any, and waits for its cleanup (daemon shutdown). */
  async stop(): Promise<void> {
    const running = this.current;
    if (!running) return;
    running.abort.abort();
    await running.done;
  }

  private async run(view: ImageBuildView, signal: AbortSignal): Promise<ImageBuildView> {
    const logFile = fs.openSync(path.join(this.dir, `${view.id}.log`), "a");
    const line = (text: string) => {
      fs.writeSync(logFile, text + "\n");
      this.emit({ buildId: view.id, stage: view.stage, percent: view.percent, line: text });
    };
    const dest = path.join(imagesDir(this.config.dataDir), `${view.name}.img`);
    const t0 = Date.now();
    let final: ImageBuildView;
    try {
      await buildDebianImage({ ...view, mirror: this.config.debianMirror }, this.stagingDir(view.id), dest, {
        signal,
        line,
        progress: ({ stage, percent }) => {
          const moved = stage !== view.stage;
          Object.assign(view, { stage, percent });
          if (!moved) return;
          this.save(view);
          this.emit({ buildId: view.id, stage, percent, line: null });
        },
      });
      try {
        const image = await registerImage(this.db, {
          name: view.name,
          path: dest,
          hostName: this.config.fleetHost.name,
        });
        final = { ...view, status: "succeeded", imageId: image.id };
      } catch (err) {
        fs.rmSync(dest, { force: true });
        throw err;
      }
      line(`I: image "${view.name}" registered in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      const cancelled = err instanceof BuildCancelled;
      const message = (err as Error).message;
      line(`E: ${message}`);
      if (!cancelled) log.warn("Debian build failed", { build: view.id, err: message });
      final = { ...view, status: cancelled ? "cancelled" : "failed", error: message };
    } finally {
      fs.closeSync(logFile);
      fs.rmSync(this.lockFile, { force: true });
      this.current = null;
    }
    final = { ...final, endedAt: new Date().toISOString() };
    this.save(final);
    this.emit({ buildId: view.id, stage: final.stage, percent: final.percent, line: null, build: final });
    log.info("Debian build ended", { build: view.id, status: final.status, s: (Date.now() - t0) / 1000 });
    return final;
  }

  private get lockFile(): string {
    return path.join(this.dir, "build.lock");
  }

  /** The pid holding the build lock, or null (a lock whose process is gone is stale). */
  private lockHolder(): number | null {
    let pid: number;
    try {
      pid = Number(fs.readFileSync(this.lockFile, "utf8"));
    } catch {
      return null;
    }
    try {
      if (pid > 0) {
        process.kill(pid, 0);
        return pid;
      }
    } catch {}
    fs.rmSync(this.lockFile, { force: true });
    return null;
  }

  private read(id: string): ImageBuildView | null {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.dir, `${id}.json`), "utf8")) as ImageBuildView;
    } catch {
      return null;
    }
  }

  private save(view: ImageBuildView): void {
    const file = path.join(this.dir, `${view.id}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(view, null, 2));
    fs.renameSync(`${file}.tmp`, file);
  }

  /** Keeps the newest records and logs only. */
  private prune(): void {
    for (const old of this.list().slice(KEEP_BUILDS)) {
      for (const ext of [".json", ".log"]) fs.rmSync(path.join(this.dir, old.id + ext), { force: true });
    }
  }
}
