// The wire between the host daemon and the console keeper: one JSON object per line over
// a unix stream socket in the run directory (mode 0700). Requests carry an id and get one
// reply; the keeper also pushes output and journalled lifecycle events.
import { z } from "zod";

/**
 * A context guest's network: the container's LXC start-host hook writes its init's host pid to
 * `pidFile` and holds init until `readyFile` exists; the keeper makes the guest's interface
 * `iface` in that namespace meanwhile (the guest's init configures it from its seed).
 */
const containerHoldSchema = z.object({
  pidFile: z.string().min(1),
  readyFile: z.string().min(1),
  iface: z.string().regex(/^[a-z][a-z0-9]{0,14}$/),
});

export const spawnRequestSchema = z.object({
  guestId: z.string().min(1),
  guestName: z.string().min(1),
  bootNumber: z.number().int().min(1),
  startedAt: z.number(),
  binary: z.string().min(1),
  argv: z.array(z.string()),
  cwd: z.string().min(1),
  tmpDir: z.string().min(1),
  cols: z.number().int().min(2),
  rows: z.number().int().min(2),
  bootsDir: z.string().min(1),
  /** Each boot's log stops at `bootMaxBytes`; the guest's logs together stay under `guestMaxBytes`. */
  logLimits: z.object({
    bootMaxBytes: z.number().int().min(1),
    guestMaxBytes: z.number().int().min(1),
  }),
  notifySocket: z.string().min(1),
  /**
   * Bridge networking: the tap to create on the bridge before the kernel starts, removed after.
   * A context guest's is instead the bridge end of a veth pair whose other end becomes its
   * interface (`container`, made once its start-host hook names init's pid; see `network`).
   */
  bridgeTap: z
    .object({
      name: z.string().regex(/^[a-z0-9-]{1,15}$/),
      bridge: z.string().regex(/^[a-z][a-z0-9-]{0,14}$/),
      netns: z
        .string()
        .regex(/^[a-zA-Z0-9_.-]{1,64}$/)
        .nullable(),
      container: containerHoldSchema.extend({ mac: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/) }).optional(),
    })
    .optional(),
  /**
   * Context guests: the process on the pty is lxc-start, which exits 0 however the container
   * ended; the reason is in LXC's log and the stop hook's OOM record (server/lxc/exit-report.ts).
   */
  containerExit: z.object({ lxcLog: z.string().min(1), oomRecord: z.string().min(1) }).optional(),
  /** User networking: started on the kernel's namespace once it runs (server/network/user-net.ts). */
  network: z
    .object({
      apiSocket: z.string().min(1),
      forwardAddress: z.string().min(1),
      hostLoopback: z.boolean(),
      /** A context guest: slirp4netns's tap is its interface. Absent: a UML kernel's namespace (scripts/guest-netns.sh). */
      container: containerHoldSchema.optional(),
      forwards: z.array(
        z.object({ protocol: z.enum(["tcp", "udp"]), hostPort: z.number().int(), guestPort: z.number().int() }),
      ),
    })
    .optional(),
});
export type SpawnRequest = z.infer<typeof spawnRequestSchema>;

export const requestSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("hello"), id: z.number() }),
  z.object({ op: z.literal("replay"), id: z.number() }),
  z.object({ op: z.literal("spawn"), id: z.number(), spawn: spawnRequestSchema }),
  z.object({ op: z.literal("write"), id: z.number(), guestId: z.string(), data: z.string() }),
  z.object({
    op: z.literal("resize"),
    id: z.number(),
    guestId: z.string(),
    cols: z.number().int().min(2),
    rows: z.number().int().min(2),
  }),
  z.object({ op: z.literal("kill"), id: z.number(), guestId: z.string() }),
  z.object({ op: z.literal("ack"), id: z.number(), seq: z.number().int() }),
]);
export type KeeperRequest = z.infer<typeof requestSchema>;
export type KeeperOp = KeeperRequest["op"];

/** Facts about how a kernel process ended; the daemon turns them into an outcome. */
export interface ExitFacts {
  exitCode: number;
  signal: number;
  panic: string | null;
  consoleSaid: "halted" | "powered-off" | null;
  /** Context guests: processes the guest's memory cgroup OOM-killed during the boot. */
  oomKills?: number;
}

/**
 * What a keeper left on disk when every kernel it held had ended and no daemon came to hear
 * how (`keeper-journal.json` in the run directory): the next keeper starts from it, so the
 * next daemon records those ends as they happened. Written by the keeper itself; read back
 * loosely (an event's own fields are the keeper's, passed through).
 */
export const keeperJournalSchema = z.object({
  seq: z.number().int().min(0),
  journal: z.array(
    z.object({
      seq: z.number().int().min(1),
      guestId: z.string().min(1),
      event: z.object({ kind: z.string() }).passthrough(),
    }),
  ),
  ended: z.array(
    z.object({
      guestId: z.string().min(1),
      pid: z.number().int(),
      bootNumber: z.number().int().min(1),
      bootStartedAt: z.number(),
      ready: z.boolean(),
      exited: z.literal(true),
      cols: z.number().int().min(2),
      rows: z.number().int().min(2),
      tail: z.string(),
    }),
  ),
});
export interface KeeperJournal {
  seq: number;
  journal: JournalEntry[];
  ended: GuestStatus[];
}

export interface JournalEntry {
  seq: number;
  guestId: string;
  event: LifecycleEvent;
}

/** What happened to a guest, in order; kept by the keeper until the daemon acknowledges it. */
export type LifecycleEvent =
  | { kind: "first-output"; boot: number; at: number }
  | { kind: "ready"; boot: number; at: number; via: "init" | "prompt" }
  /** The kernel restarted inside the same process: `boot` ended, `boot + 1` began at `at`. */
  | { kind: "rebooted"; boot: number; at: number; logBytes: number }
  /** Recording this boot's console failed (disk full, I/O error); the guest runs on. */
  | { kind: "log-failed"; boot: number; at: number; message: string }
  /** This boot's log reached its size limit: recording stopped there; the guest runs on. */
  | { kind: "log-truncated"; boot: number; at: number; logBytes: number }
  /** Older boots' logs were removed to keep the guest's logs within their bound. */
  | { kind: "logs-pruned"; boot: number; at: number; pruned: number[] }
  /** The guest's network could not be set up; the guest runs on without it. */
  | { kind: "network-failed"; boot: number; at: number; message: string }
  | ({ kind: "exited"; boot: number; at: number; logBytes: number } & ExitFacts);

export interface GuestStatus {
  guestId: string;
  pid: number;
  bootNumber: number;
  bootStartedAt: number;
  ready: boolean;
  exited: boolean;
  cols: number;
  rows: number;
  /** The end of the console output so far (for redrawing a screen after a daemon restart). */
  tail: string;
}

export type KeeperMessage =
  | { type: "reply"; id: number; ok: true; result?: unknown }
  | { type: "reply"; id: number; ok: false; error: string }
  | { type: "output"; guestId: string; boot: number; data: string }
  | { type: "event"; seq: number; guestId: string; event: LifecycleEvent }
  | { type: "hang"; guestId: string };
