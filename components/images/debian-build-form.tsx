"use client";

import { Hammer } from "lucide-react";
import { useId, useState } from "react";
import { apiPost } from "@/lib/shared/api-client";
import {
  DEBIAN_SIZE_MIB_MAX,
  DEBIAN_SIZE_MIB_MIN,
  DEBIAN_SUITES,
  debianBuildSchema,
  type ImageBuildView,
} from "@/lib/shared/protocol";
import { zodFields } from "@/lib/shared/zod-fields";
import { Button } from "../ui/button";
import { FormField, inputClasses, FormAlert } from "../ui/form-field";

/** Starts a Debian build: a name, a suite, a size and extra packages. */
export function DebianBuildForm({
  busy,
  unavailable = false,
  onStarted,
}: {
  busy: boolean;
  /** The host cannot build (the panel says why). */
  unavailable?: boolean;
  onStarted: (b: ImageBuildView) => void;
}) {
  const id = useId();
  const [name, setName] = useState("debian-bookworm");
  const [suite, setSuite] = useState<string>(DEBIAN_SUITES[0]);
  const [size, setSize] = useState("1024");
  const [packages, setPackages] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = {
      name,
      suite,
      sizeMiB: Number(size),
      packages: packages.split(/[\s,]+/).filter(Boolean),
    };
    const parsed = debianBuildSchema.safeParse(input);
    setError(null);
    if (!parsed.success) return setFields(fieldsOf(zodFields(parsed.error)));
    setFields({});
    setPending(true);
    const r = await apiPost<ImageBuildView>("/api/images/debian", input);
    setPending(false);
    if (!r.ok) {
      setFields(fieldsOf(r.fields));
      setError(r.message);
      return;
    }
    onStarted(r.data);
  }

  const disabled = pending || busy || unavailable;
  return (
    <form onSubmit={submit} noValidate aria-label="Build a Debian image" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-start gap-3">
        <FormField label="Image name" htmlFor={`${id}-name`} error={fields.name} className="w-52">
          <input
            id={`${id}-name`}
            value={name}
            spellCheck={false}
            disabled={disabled}
            onChange={(e) => setName(e.target.value)}
            className={inputClasses(Boolean(fields.name))}
          />
        </FormField>
        <FormField label="Suite" htmlFor={`${id}-suite`} error={fields.suite} className="w-36">
          <select
            id={`${id}-suite`}
            value={suite}
            disabled={disabled}
            onChange={(e) => setSuite(e.target.value)}
            className={inputClasses(Boolean(fields.suite))}
          >
            {DEBIAN_SUITES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </FormField>
        <FormField label="Size (MiB)" htmlFor={`${id}-size`} error={fields.sizeMiB} className="w-32">
          <input
            id={`${id}-size`}
            type="number"
            min={DEBIAN_SIZE_MIB_MIN}
            max={DEBIAN_SIZE_MIB_MAX}
            step={256}
            value={size}
            disabled={disabled}
            onChange={(e) => setSize(e.target.value)}
            className={inputClasses(Boolean(fields.sizeMiB))}
          />
        </FormField>
        <FormField
          label="Extra packages"
          htmlFor={`${id}-packages`}
          error={fields.packages}
          hint="Space-separated Debian package names"
          className="min-w-64 flex-1"
        >
          <input
            id={`${id}-packages`}
            value={packages}
            placeholder="openssh-server curl"
            spellCheck={false}
            disabled={disabled}
            onChange={(e) => setPackages(e.target.value)}
            className={inputClasses(Boolean(fields.packages))}
          />
        </FormField>
        <Button type="submit" variant="primary" disabled={disabled} className="mt-5">
          <Hammer className="size-4" aria-hidden /> {busy ? "A build is running" : "Build image"}
        </Button>
      </div>
      <FormAlert message={error} />
    </form>
  );
}

/** "packages.2" → "packages": each message under the input it belongs to. */
function fieldsOf(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(raw)) out[key.split(".")[0]] ??= message;
  return out;
}
