"use client";

import { Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiPost } from "@/lib/shared/api-client";
import type { GuestView } from "@/lib/shared/protocol";
import { useHost } from "@/lib/client/use-host";
import { useHydrated } from "@/lib/client/use-hydrated";
import type { HostChoice } from "@/lib/shared/host-choices";
import { Button } from "../ui/button";
import { FormAlert } from "../ui/form-field";
import { splitRefusal, validateDraft, type FieldErrors, type FieldName } from "./create-guest-errors";
import { GuestBasicsFields, type BasicsDraft, type ImageChoice } from "./guest-basics-fields";
import { HostChoiceField } from "./host-choice-field";
import { KernelArgsField } from "./kernel-args-field";
import { accessInput, EMPTY_ACCESS, GuestAccessFields, type AccessDraft } from "./guest-access-fields";

const DEFAULT_MEMORY = "64";

/** `hosts`: the fleet's hosts, for an admin to choose from (none: Corral places every guest). */
export function CreateGuestForm({ images, hosts = [] }: { images: ImageChoice[]; hosts?: HostChoice[] }) {
  const router = useRouter();
  const id = useId();
  const { host, error: hostError } = useHost();
  const defaultImage = (images.find((i) => i.builtIn) ?? images[0])?.id ?? "";
  const fresh: BasicsDraft = { name: "", kind: "uml", imageId: defaultImage, memory: DEFAULT_MEMORY };

  const [basics, setBasics] = useState<BasicsDraft>(fresh);
  const [hostId, setHostId] = useState("");
  const [kernelArgs, setKernelArgs] = useState<string[]>([]);
  const [access, setAccess] = useState<AccessDraft>(EMPTY_ACCESS);
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverFields, setServerFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<GuestView | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  const busy = pending || !hydrated;

  // A context guest shares the host's kernel: no kernel arguments; network and first-boot access as a UML guest.
  const input = {
    name: basics.name,
    kind: basics.kind,
    imageId: basics.imageId,
    memoryMiB: basics.memory.trim() === "" ? Number.NaN : Number(basics.memory),
    ...(basics.kind === "uml" ? { kernelArgs } : {}),
    ...accessInput(access),
    ...(hostId ? { hostId } : {}),
  };
  const clientErrors = validateDraft(input, host?.guestMemoryMaxMiB ?? null);

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
      const refusal = splitRefusal(result.message, result.fields);
      setServerFields(refusal.fields);
      setFormError(refusal.form);
      return;
    }
    setBasics(fresh);
    setHostId("");
    setKernelArgs([]);
    setAccess(EMPTY_ACCESS);
    setTouched({});
    setSubmitted(false);
    setServerFields({});
    setCreated(result.data);
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4 p-4">
      <GuestBasicsFields
        id={id}
        value={basics}
        images={images}
        host={host}
        hostError={hostError}
        disabled={busy}
        errorFor={errorFor}
        onChange={(next, field) => {
          setBasics((b) => ({ ...b, ...next }));
          edit(field);
        }}
      >
        {hosts.length > 1 && (
          <HostChoiceField
            id={`${id}-host`}
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
      </GuestBasicsFields>
      {basics.kind === "context" && (
        <p className="text-sm text-slate-600">
          A context guest is a container on this host&apos;s own kernel: it starts in a fraction of a second and costs a
          few MiB. Its network and first-boot password and keys work as for a UML guest.
        </p>
      )}
      {basics.kind === "uml" && (
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
