// Requests about a guest another host runs go to that host's daemon, which does them —
// authorizing the person itself and writing the audit entry — and whose answer is passed
// back as it is. Each carries a fleet pass for exactly that request (fleet-pass.ts), never
// the person's own cookie or token. A daemon never passes a relayed request on again.
import type { Context } from "hono";
import { HELD_HEADER, keepaliveFor, readHeldAnswer } from "../../lib/shared/held-answer";
import type { SessionUser } from "../auth/sessions";
import type { Db } from "../db";
import { conflict, unavailable } from "../errors";
import type { AppEnv } from "../http/request-context";
import { bodyDeclared, readBody } from "../http/request-body";
import { fleetActorOf } from "./fleet-actor";
import { bodyDigest, FLEET_HEADER, WINDOW_MS, type FleetActor, type FleetPasses } from "./fleet-pass";
import type { GuestPlace, ThisHost } from "./guest-host";

/** How long the other daemon may go without a word: to start answering, and between a held answer's bytes. */
export const ANSWER_MS = 30_000;
const PASSED_BACK = ["content-type", "content-disposition", "cache-control"];

export interface RelayRequest {
  method: string;
  /** Path and query, as the other daemon routes it. */
  path: string;
  /** JSON, exactly as the person sent it. */
  body?: Uint8Array<ArrayBuffer>;
  /** A new guest placed on that host (hosts/placement.ts), not one it runs: what a refusal says. */
  placing?: boolean;
  /** What a refusal says first, when the request is neither about a guest it runs nor a new one. */
  lead?: string;
  /**
   * Long work: the other daemon is asked for a held answer (lib/shared/held-answer.ts), so
   * however long the work takes, the answer starts at once and says every so often that it
   * goes on; what is returned is the work's own answer once it ends.
   */
  held?: boolean;
}

/** Whether another host than this one runs the guest (one no host has claimed is this host's). */
export const runsElsewhere = (guest: Pick<GuestPlace, "hostId">, here: ThisHost) =>
  guest.hostId !== null && guest.hostId !== here.id;

export class HostRelay {
  constructor(
    private readonly db: Db,
    private readonly here: ThisHost,
    private readonly fleet: FleetPasses | null,
    /** How long another daemon may go without a word (ANSWER_MS; CORRAL_FLEET_ANSWER_MS). */
    private readonly answerMs = ANSWER_MS,
  ) {}

  /** Whether this daemon can pass requests on to other hosts' daemons (every host has the fleet secret). */
  get enabled(): boolean {
    return this.fleet !== null;
  }

  /** The daemon of host `hostId`'s answer to `req`, made as `actor`; 503 naming the host when there is none. */
  async send(hostId: string, actor: FleetActor, req: RelayRequest): Promise<Response> {
    const host = await this.db.host.findUnique({ where: { id: hostId }, select: { name: true, address: true } });
    if (!host) throw unavailable("This guest's host is no longer registered in the fleet; an admin must look at it.");
    const lead =
      req.lead ??
      (req.placing ? `The new guest was placed on host ${host.name}` : `This guest runs on host ${host.name}`);
    if (!this.fleet)
      throw unavailable(
        `${lead}. To act on it from host ${this.here.name}, give every host the same ` +
          `CORRAL_FLEET_SECRET and restart their daemons, or use ${host.name}'s own daemon.`,
      );
    const pass = this.fleet.issue(hostId, actor, {
      http: { method: req.method, path: req.path, body: bodyDigest(req.body) },
    });
    const headers: Record<string, string> = { [FLEET_HEADER]: pass };
    if (req.body) headers["content-type"] = "application/json";
    if (req.held) headers[HELD_HEADER] = keepaliveFor(this.answerMs);
    const silent = (why: string) =>
      unavailable(
        `${lead}, whose daemon did not answer (${why}). ` +
          `Check that its daemon runs (the Hosts page shows when it last reported), then try again.`,
      );
    // Only the wait for headers is bounded here: a body streams as long as bytes flow
    // (undici gives up after 300 s without one), and a held answer says it goes on.
    const abort = new AbortController();
    const answer = setTimeout(() => abort.abort(new Error(`no answer in ${this.answerMs / 1000} s`)), this.answerMs);
    let res: Response;
    try {
      res = await fetch(new URL(req.path, host.address), {
        method: req.method,
        headers,
        body: req.body,
        redirect: "error",
        signal: abort.signal,
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      throw silent(e.cause?.code ?? (abort.signal.aborted ? String(abort.signal.reason) : e.message));
    } finally {
      clearTimeout(answer);
    }
    if (req.held)
      res = await readHeldAnswer(res, this.answerMs).catch((err: Error) => {
        throw silent(`midway: ${err.message}`);
      });
    if (res.status === 401) {
      const said = await res.json().then(
        (b: { error?: { message?: string } }) => b.error?.message,
        () => undefined,
      );
      throw unavailable(
        `Host ${host.name} refused this request, relayed by host ${this.here.name}: ${said ?? "no reason given"} ` +
          `Every host needs the same CORRAL_FLEET_SECRET, and clocks that agree within ${WINDOW_MS / 1000} s.`,
      );
    }
    return res;
  }

  /** The answer of the daemon that runs `guest` to this very request (route-table.ts). */
  async forward(c: Context<AppEnv>, guest: GuestPlace, held = false): Promise<Response> {
    const name = guest.host?.name ?? "another host";
    if (c.get("relayedFrom"))
      throw conflict(
        `This guest runs on host ${name}, not on host ${this.here.name}, where another host sent this request. Try again: the guest may have just moved.`,
      );
    const rule = c.get("bodyRule");
    if (rule?.kind === "stream")
      throw conflict(`This guest runs on host ${name}: send this upload to ${name}'s daemon.`);
    // A route without options has read (and checked) its body already: there is nothing to pass on.
    const body = rule?.kind === "json" && bodyDeclared(c) ? await readBody(c, rule.maxBytes) : undefined;
    return this.passOn(c, guest.hostId!, body, { held });
  }

  /** Host `hostId`'s daemon's answer to this very request, whose body (if any) was read as `body`. */
  async passOn(
    c: Context<AppEnv>,
    hostId: string,
    body: Buffer | undefined,
    { placing = false, held, lead }: Pick<RelayRequest, "placing" | "held" | "lead"> = {},
  ): Promise<Response> {
    c.set("relayedTo", hostId);
    const url = new URL(c.req.url);
    const actor = fleetActorOf(c.get("actor") as SessionUser, c.get("meta").ip);
    const res = await this.send(hostId, actor, {
      method: c.req.method,
      path: url.pathname + url.search,
      body: body && new Uint8Array(body),
      placing,
      held,
      lead,
    });
    const out = new Headers();
    for (const header of PASSED_BACK) {
      const value = res.headers.get(header);
      if (value) out.set(header, value);
    }
    return new Response(res.body, { status: res.status, headers: out });
  }
}
