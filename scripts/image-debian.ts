// `npm run image:debian -- --suite bookworm --size 1024 --packages "openssh-server" [--name NAME]`
// Builds a Debian image with debootstrap into CORRAL_DATA_DIR and registers it, without the
// daemon (whose builds it shares the one-at-a-time lock with). Needs root.
// Exit code 0 when the image is registered, 1 when the build failed, 2 on bad arguments.
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { debianBuildSchema, IMAGE_BUILD_STAGES } from "../lib/shared/protocol";
import { zodFields } from "../lib/shared/zod-fields";
import { ConfigError, loadConfig } from "../server/config";
import { openDatabase } from "../server/db";
import { CorralError } from "../server/errors";
import { ImageBuilds } from "../server/images/image-builds";
import { prepareImageDirs } from "../server/images/image-import";
import { migrateDatabase } from "../server/migrate";

const USAGE = `usage: npm run image:debian -- [--suite bookworm|trixie] [--size MiB] [--packages "p1 p2"] [--name NAME] [--quiet]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      suite: { type: "string", default: "bookworm" },
      size: { type: "string", default: "1024" },
      packages: { type: "string", default: "" },
      name: { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const input = {
    name: values.name ?? `debian-${values.suite}`,
    suite: values.suite,
    sizeMiB: Number(values.size),
    packages: values.packages.split(/[\s,]+/).filter(Boolean),
  };
  const parsed = debianBuildSchema.safeParse(input);
  if (!parsed.success) {
    for (const [field, message] of Object.entries(zodFields(parsed.error))) console.error(`  ${field}: ${message}`);
    console.error(USAGE);
    return 2;
  }

  const config = loadConfig();
  await migrateDatabase(config.projectRoot, config.dataDir);
  prepareImageDirs(config);
  const db = openDatabase();
  let stage: string | null = null;
  const builds = new ImageBuilds(config, db, (e) => {
    if (e.stage && e.stage !== stage) {
      stage = e.stage;
      console.log(`== ${IMAGE_BUILD_STAGES.indexOf(e.stage) + 1}/${IMAGE_BUILD_STAGES.length} ${e.stage}`);
    }
    if (e.line !== null && !values.quiet) console.log(e.line);
  });
  try {
    const { view, done } = await builds.start(parsed.data);
    console.log(`building ${view.name} (${view.suite}, ${view.sizeMiB} MiB); log: ${builds.dir}/${view.id}.log`);
    const cancel = () => {
      console.error("cancelling…");
      builds.cancel(view.id);
    };
    process.once("SIGINT", cancel);
    process.once("SIGTERM", cancel);
    const final = await done;
    if (final.status !== "succeeded") {
      console.error(`image:debian: ${final.status}: ${final.error}`);
      return 1;
    }
    const seconds = (Date.parse(final.endedAt!) - Date.parse(final.startedAt)) / 1000;
    console.log(`image:debian: ${final.name} registered (id ${final.imageId}) in ${seconds.toFixed(1)} s`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError) console.error(`image:debian: ${err.message}`);
    else if (err instanceof CorralError) console.error(`image:debian: ${err.message}`);
    else if (err instanceof ZodError) console.error(`image:debian: ${JSON.stringify(zodFields(err))}`);
    else console.error(`image:debian: ${err instanceof Error ? err.stack : err}`);
    process.exit(err instanceof CorralError ? 1 : 2);
  },
);
