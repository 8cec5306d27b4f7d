"use client";

import { MEMORY_MIB_MAX, MEMORY_MIB_MIN, type GuestKind, type HostView } from "@/lib/shared/protocol";
import { FormField, inputClasses } from "../ui/form-field";
import type { FieldName } from "./create-guest-errors";

export interface ImageChoice {
  id: string;
  name: string;
  builtIn: boolean;
}

export interface BasicsDraft {
  name: string;
  kind: GuestKind;
  imageId: string;
  /** As typed: the form turns it into a number. */
  memory: string;
}

/** Name, kind, image and memory of a new guest: the fields every guest needs. */
export function GuestBasicsFields({
  id,
  value,
  images,
  host,
  hostError,
  disabled,
  errorFor,
  onChange,
  children,
}: {
  id: string;
  value: BasicsDraft;
  images: ImageChoice[];
  host: HostView | null;
  hostError: string | null;
  disabled: boolean;
  errorFor: (f: FieldName) => string | null;
  onChange: (next: Partial<BasicsDraft>, field: FieldName) => void;
  /** Fields shown between the kind and the image (where to place it, in a fleet). */
  children?: React.ReactNode;
}) {
  const ids = { name: `${id}-name`, kind: `${id}-kind`, imageId: `${id}-image`, memoryMiB: `${id}-memory` };
  const invalid = (f: FieldName) => Boolean(errorFor(f));
  const describedBy = (f: keyof typeof ids) => (errorFor(f) ? `${ids[f]}-error` : undefined);
  return (
    <div className="flex flex-wrap items-start gap-4">
      <FormField label="Name" htmlFor={ids.name} error={errorFor("name")} hint="a–z, 0–9 and '-'" className="w-60">
        <input
          id={ids.name}
          name="name"
          autoComplete="off"
          spellCheck={false}
          placeholder="web-1"
          value={value.name}
          disabled={disabled}
          aria-invalid={invalid("name")}
          aria-describedby={describedBy("name")}
          onChange={(e) => onChange({ name: e.target.value }, "name")}
          className={inputClasses(invalid("name"))}
        />
      </FormField>
      <FormField label="Kind" htmlFor={ids.kind} error={errorFor("kind")} className="w-56">
        <select
          id={ids.kind}
          name="kind"
          value={value.kind}
          disabled={disabled}
          onChange={(e) => onChange({ kind: e.target.value === "context" ? "context" : "uml" }, "kind")}
          className={inputClasses(invalid("kind"))}
        >
          <option value="uml">UML (own kernel)</option>
          <option value="context">Context (shared kernel)</option>
        </select>
      </FormField>
      {children}
      <FormField label="Image" htmlFor={ids.imageId} error={errorFor("imageId")} className="w-48">
        <select
          id={ids.imageId}
          name="imageId"
          value={value.imageId}
          disabled={disabled || images.length === 0}
          aria-invalid={invalid("imageId")}
          aria-describedby={describedBy("imageId")}
          onChange={(e) => onChange({ imageId: e.target.value }, "imageId")}
          className={inputClasses(invalid("imageId"))}
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
        htmlFor={ids.memoryMiB}
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
          id={ids.memoryMiB}
          name="memoryMiB"
          type="number"
          inputMode="numeric"
          min={MEMORY_MIB_MIN}
          max={host?.guestMemoryMaxMiB ?? MEMORY_MIB_MAX}
          step={16}
          value={value.memory}
          disabled={disabled}
          aria-invalid={invalid("memoryMiB")}
          aria-describedby={describedBy("memoryMiB")}
          onChange={(e) => onChange({ memory: e.target.value }, "memoryMiB")}
          className={inputClasses(invalid("memoryMiB"))}
        />
      </FormField>
    </div>
  );
}
