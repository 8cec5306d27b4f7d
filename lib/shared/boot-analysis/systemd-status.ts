// systemd's console status lines (man systemd, ShowStatus=): `[  OK  ] Started x.service -
// Description.`, `[FAILED] Failed to start …`, `[DEPEND] Dependency failed for …`,
// `[ TIME ] Timed out …`, and the job lines `         Starting x.service - Description...`.
// With StatusUnitFormat=description (systemd before 250, or chosen) there is no unit name:
// the description stands in for it.
import type { LineSign } from "./line-sign";

const STATUS = /^\[([ A-Z*]{6})\] (.+)$/;
const UNIT_NAME = /^[^\s/]{1,256}\.(?:service|socket|target|mount|automount|swap|path|timer|slice|scope|device)$/;

/** `[  OK  ]` verbs of a start job, longest first where one is a prefix of another. */
const DONE_VERBS = [
  "Reached target ",
  "Listening on ",
  "Set up automount ",
  "Activated swap ",
  "Created slice ",
  "Found device ",
  "Started ",
  "Finished ",
  "Mounted ",
];
/** `[  OK  ]` verbs of a stop job: the shutdown. */
const STOP_VERBS = [
  "Stopped target ",
  "Stopped ",
  "Unmounted ",
  "Closed ",
  "Removed slice ",
  "Deactivated swap ",
  "Unset automount ",
];
const FAILED_VERBS = [
  "Failed to start ",
  "Failed to mount ",
  "Failed to listen on ",
  "Failed to set up automount ",
  "Failed to activate swap ",
  "Failed unmounting ",
  "Failed deactivating swap ",
  "Failed stopping ",
];
const BEGIN_VERBS = ["Starting ", "Mounting ", "Activating swap ", "Setting up automount ", "Expecting device "];
const STOP_BEGIN_VERBS = ["Stopping ", "Unmounting ", "Deactivating swap "];

export function classifyStatusLine(text: string): LineSign | null {
  if (text.charCodeAt(0) === 0x20) return classifyJobLine(text);
  const m = STATUS.exec(text);
  if (!m) return null;
  const status = m[1].trim();
  const rest = m[2];
  if (status === "OK") {
    const stop = STOP_VERBS.find((v) => rest.startsWith(v));
    if (stop) return { kind: "unit-stopping", label: rest };
    const verb = DONE_VERBS.find((v) => rest.startsWith(v));
    const subject = splitSubject(verb ? rest.slice(verb.length) : rest, ".");
    if (verb === "Reached target ") return { kind: "target-reached", label: rest, ...subject };
    return { kind: "unit-done", label: rest, ...subject, verb: verb?.trim() ?? "" };
  }
  if (status === "FAILED") {
    const verb = FAILED_VERBS.find((v) => rest.startsWith(v));
    return {
      kind: "unit-failed",
      label: rest,
      ...splitSubject(verb ? rest.slice(verb.length) : rest, "."),
      cause: "failed",
    };
  }
  if (status === "DEPEND" && rest.startsWith("Dependency failed for ")) {
    const subject = splitSubject(rest.slice("Dependency failed for ".length), ".");
    return { kind: "unit-failed", label: rest, ...subject, cause: "dependency" };
  }
  if (status === "TIME") {
    const verb = ["Timed out waiting for device ", "Timed out starting ", "Timed out "].find((v) => rest.startsWith(v));
    return {
      kind: "unit-failed",
      label: rest,
      ...splitSubject(verb ? rest.slice(verb.length) : rest, "."),
      cause: "timeout",
    };
  }
  // `[  *** ]` and friends are the ephemeral "A start job is running…" redraws.
  return null;
}

/** `         Starting foo.service - Description...` */
function classifyJobLine(text: string): LineSign | null {
  const line = text.trimStart();
  if (!line.endsWith("...")) return null;
  if (STOP_BEGIN_VERBS.some((v) => line.startsWith(v))) return { kind: "unit-stopping", label: line };
  const verb = BEGIN_VERBS.find((v) => line.startsWith(v));
  if (!verb) return null;
  return { kind: "unit-starting", ...splitSubject(line.slice(verb.length), "...") };
}

/**
 * `foo.service - Description.` → unit and description; without a unit name, the description
 * is the unit. systemd shortens status lines wider than the console in their middle
 * (`foo.path …Requests to Console`), so the name is the first word when it is a unit name.
 */
export function splitSubject(subject: string, ending: string): { unit: string; description: string | null } {
  const s = subject.endsWith(ending) ? subject.slice(0, -ending.length) : subject;
  const space = s.indexOf(" ");
  const name = space < 0 ? s : s.slice(0, space);
  if (UNIT_NAME.test(name)) {
    const rest = space < 0 ? "" : s.slice(space + 1);
    const description = rest.startsWith("- ") ? rest.slice(2) : rest;
    return { unit: name, description: description || null };
  }
  return { unit: s.trim(), description: null };
}
