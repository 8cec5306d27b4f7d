"use client";

import { Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiPost } from "@/lib/shared/api-client";
import {
  createGuestSchema,
  MEMORY_MIB_MAX,
  MEMORY_MIB_MIN,
  type CreateGuestInput,
  type GuestKind,
  type GuestView,
} from "@/lib/shared/protocol";
import { useHost } from "@/lib/client/use-host";
import { zodFields } from "@/lib/shared/zod-fields";
import { useHydrated } from "@/lib/client/use-hydrated";
import { Button } from "../ui/button";
import { FormField, inputClasses, FormAlert } from "../ui/form-field";
import type { HostChoice } from "@/lib/shared/host-choices";
import { HostChoiceField } from "./host-choice-field";
import { KernelArgsField } from "./kernel-args-field";
import { accessInput, EMPTY_ACCESS, GuestAccessFields, type AccessDraft } from "./guest-access-fields";

export interface ImageChoice {
  id: string;
  name: string;
  builtIn: boolean;
}

type FieldName =
  | "name"
  | "kind"
  | "imageId"
  | "memoryMiB"
  | "kernelArgs"
  | "network"
  | "forwards"
  | "rootPassword"
  | "authorizedKeys"
  | "hostId";
const FIELDS: readonly string[] = [
  "hostId",
  "name",
  "kind",
  "imageId",
  "memoryMiB",
  "kernelArgs",
  "network",
  "forwards",
  "rootPassword",
  "authorizedKeys",
];
const DEFAULT_MEMORY = "64";

/** Daemon field keys ("kernelArgs.2") mapped onto the inputs that show them. */
function fieldOf(key: string): FieldName | null {
  const head = key.split(".")[0];
  return FIELDS.includes(head) ? (head as FieldName) : null;
}

/** The form's errors as the user types: the shared schema, plus this host's memory limit. */
function validate(input: CreateGuestInput, hostMaxMiB: number | null): Partial<Record<FieldName, string>> {
  const errors: Partial<Record<FieldName, string>> = {};
  const parsed = createGuestSchema.safeParse(input);
  if (!parsed.success) {
    for (const [key, message] of Object.entries(zodFields(parsed.error))) {
      const f = fieldOf(key);
      if (f) errors[f] ??= message;
    }
  }
  if (!errors.memoryMiB && hostMaxMiB !== null && input.memoryMiB > hostMaxMiB) {
    errors.memoryMiB = `This host can give one guest at most ${hostMaxMiB} MiB.`;
  }
  return errors;
}

/** `hosts`: the fleet's hosts, for an admin to choose from (none: Corral places every guest). */
export function CreateGuestForm({ images, hosts = [] }: { images: ImageChoice[]; hosts?: HostChoice[] }) {
  const router = useRouter();
  const id = useId();
  const { host, error: hostError } = useHost();
  const defaultImage = (images.find((i) => i.builtIn) ?? images[0])?.id ?? "";

  const [hostId, setHostId] = useState("");
  const [name, setName] = useState("");
  const [kind, setKind] = useState<GuestKind>("uml");
  const [imageId, setImageId] = useState(defaultImage);
  const [memory, setMemory] = useState(DEFAULT_MEMORY);
  const [kernelArgs, setKernelArgs] = useState<string[]>([]);
  const [access, setAccess] = useState<AccessDraft>(EMPTY_ACCESS);
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverFields, setServerFields] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<GuestView | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  const busy = pending || !hydrated;

  // A context guest shares the host's kernel: no kernel arguments; network and first-boot access as a UML guest.
  const input = {
    name,
    kind,
    imageId,
    memoryMiB: memory.trim() === "" ? Number.NaN : Number(memory),
    ...(kind === "uml" ? { kernelArgs } : {}),
    ...accessInput(access),
    ...(hostId ? { hostId } : {}),
  };
  const clientErrors = validate(input, host?.guestMemoryMaxMiB ?? null);

  const errorFor = (f: FieldName) => ((touched[f] || submitted) && clientErrors[f]) || serverFields[f] || null;

  function edit(f: FieldName) {
    setTouched((t) => ({ ...t, [f]: true }));
    setServerFields(({ [f]: _gone, ...rest }) => rest);
    setFormError(null);
    setCreated(null);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setCreated(null);
    if (Object.keys(clientErrors).length > 0) return;
    setPending(true);
    setFormError(null);
    const result = await apiPost<GuestView>("/api/guests", input);
    setPending(false);
    if (!result.ok) {
      const fields: Partial<Record<FieldName, string>> = {};
      const leftover: string[] = [];
      for (const [key, message] of Object.entries(result.fields)) {
        const f = fieldOf(key);
        if (f) fields[f] ??= message;
        else leftover.push(message);
      }
      setServerFields(fields);
      const anyField = Object.keys(fields).length > 0;
      setFormError(anyField && leftover.length === 0 ? null : [result.message, ...leftover].join(" "));
      return;
    }
    setName("");
    setHostId("");
    setKind("uml");
    setImageId(defaultImage);
    setMemory(DEFAULT_MEMORY);
    setKernelArgs([]);
    setAccess(EMPTY_ACCESS);
    setTouched({});
    setSubmitted(false);
    setServerFields({});
    setCreated(result.data);
    router.refresh();
  }

  const nameId = `${id}-name`;
  const imageIdId = `${id}-image`;
  const kindId = `${id}-kind`;
  const memoryId = `${id}-memory`;
  const hostIdId = `${id}-host`;
  const describedBy = (fid: string, f: FieldName) => (errorFor(f) ? `${fid}-error` : undefined);
  const memoryMax = host?.guestMemoryMaxMiB ?? MEMORY_MIB_MAX;

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4 p-4">
      <div className="flex flex-wrap items-start gap-4">
        <FormField label="Name" htmlFor={nameId} error={errorFor("name")} hint="a–z, 0–9 and '-'" className="w-60">
          <input
            id={nameId}
            name="name"
            autoComplete="off"
            spellCheck={false}
            placeholder="web-1"
            value={name}
            disabled={busy}
            aria-invalid={Boolean(errorFor("name"))}
            aria-describedby={describedBy(nameId, "name")}
            onChange={(e) => {
              setName(e.target.value);
              edit("name");
            }}
            className={inputClasses(Boolean(errorFor("name")))}
          />
        </FormField>
        <FormField label="Kind" htmlFor={kindId} error={errorFor("kind")} className="w-56">
          <select
            id={kindId}
            name="kind"
            value={kind}
            disabled={busy}
            onChange={(e) => {
              setKind(e.target.value === "context" ? "context" : "uml");
              edit("kind");
            }}
            className={inputClasses(Boolean(errorFor("kind")))}
          >
            <option value="uml">UML (own kernel)</option>
            <option value="context">Context (shared kernel)</option>
          </select>
        </FormField>
        {hosts.length > 1 && (
          <HostChoiceField
            id={hostIdId}
            hosts={hosts}
            value={hostId}
            disabled={busy}
            error={errorFor("hostId")}
            onChange={(next) => {
              setHostId(next);
              edit("hostId");
            }}
          />
        )}
        <FormField label="Image" htmlFor={imageIdId} error={errorFor("imageId")} className="w-48">
          <select
            id={imageIdId}
            name="imageId"
            value={imageId}
            disabled={busy || images.length === 0}
            aria-invalid={Boolean(errorFor("imageId"))}
            aria-describedby={describedBy(imageIdId, "imageId")}
            onChange={(e) => {
              setImageId(e.target.value);
              edit("imageId");
            }}
            className={inputClasses(Boolean(errorFor("imageId")))}
          >
            {images.length === 0 && <option value="">No images</option>}
            {images.map((img) => (
              <option key={img.id} value={img.id}>
                {img.name}
                {img.builtIn ? " (built-in)" : ""}
              </option>
            ))}
          </select>
        </FormField>
        <FormField
          label="Memory (MiB)"
          htmlFor={memoryId}
          error={errorFor("memoryMiB")}
          className="w-48"
          hint={
            host ? (
              <>Max {host.guestMemoryMaxMiB} MiB on this host</>
            ) : (
              <span title={hostError ?? undefined}>{hostError ? "Host limit unavailable" : "Reading host limit…"}</span>
            )
          }
        >
          <input
            id={memoryId}
            name="memoryMiB"
            type="number"
            inputMode="numeric"
            min={MEMORY_MIB_MIN}
            max={memoryMax}
            step={16}
            value={memory}
            disabled={busy}
            aria-invalid={Boolean(errorFor("memoryMiB"))}
            aria-describedby={describedBy(memoryId, "memoryMiB")}
            onChange={(e) => {
              setMemory(e.target.value);
              edit("memoryMiB");
            }}
            className={inputClasses(Boolean(errorFor("memoryMiB")))}
          />
        </FormField>
      </div>
      {kind === "context" && (
        <p className="text-sm text-slate-600">
          A context guest is a container on this host&apos;s own kernel: it starts in a fraction of a second and costs a
          few MiB. Its network and first-boot password and keys work as for a UML guest.
        </p>
      )}
      {kind === "uml" && (
        <KernelArgsField
          value={kernelArgs}
          disabled={busy}
          error={errorFor("kernelArgs")}
          onChange={(next) => {
            setKernelArgs(next);
            edit("kernelArgs");
          }}
        />
      )}
      <GuestAccessFields
        value={access}
        bridge={host?.bridge}
        disabled={busy}
        errors={{
          network: errorFor("network"),
          forwards: errorFor("forwards"),
          rootPassword: errorFor("rootPassword"),
          authorizedKeys: errorFor("authorizedKeys"),
        }}
        onChange={(next) => {
          setAccess(next);
          for (const f of ["network", "forwards", "rootPassword", "authorizedKeys"] as const) edit(f);
        }}
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={busy || images.length === 0}>
          <Plus aria-hidden className="size-4" />
          {pending ? "Creating…" : "Create guest"}
        </Button>
        <FormAlert message={formError} />
        {created && (
          // Plain text, not a link: the table below already links the new guest by name.
          <p role="status" className="text-sm text-slate-600">
            Created {created.name}. Start it from the table below.
          </p>
        )}
      </div>
    </form>
  );
}
