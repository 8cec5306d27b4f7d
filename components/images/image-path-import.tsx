"use client";

import { FolderInput } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiPost } from "@/lib/shared/api-client";
import type { ImageView } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { FormField, inputClasses, FormAlert, FormDone } from "../ui/form-field";

/** Imports a root filesystem file already on the host, from the import directory. */
export function ImagePathImport({ importDir }: { importDir: string }) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState("");
  const [path, setPath] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ImageView | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    setFields({});
    setDone(null);
    const r = await apiPost<ImageView>("/api/images/import", { name, path });
    setPending(false);
    if (!r.ok) {
      setFields(r.fields);
      setError(r.message);
      return;
    }
    setDone(r.data);
    setName("");
    setPath("");
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Import from the host" className="flex flex-col gap-3">
      <p className="text-xs text-slate-500">
        Copies an ext2/3/4 image file from <code className="font-mono text-slate-700">{importDir}</code> on the host
        into the library.
      </p>
      <div className="flex flex-wrap items-start gap-3">
        <FormField label="File in the import directory" htmlFor={`${id}-path`} error={fields.path} className="w-72">
          <input
            id={`${id}-path`}
            value={path}
            placeholder="rootfs.img"
            spellCheck={false}
            disabled={pending}
            onChange={(e) => setPath(e.target.value)}
            className={inputClasses(Boolean(fields.path))}
          />
        </FormField>
        <FormField label="Image name" htmlFor={`${id}-name`} error={fields.name} className="w-56">
          <input
            id={`${id}-name`}
            value={name}
            placeholder="my-rootfs"
            spellCheck={false}
            disabled={pending}
            onChange={(e) => setName(e.target.value)}
            className={inputClasses(Boolean(fields.name))}
          />
        </FormField>
        <Button type="submit" variant="primary" disabled={pending} className="mt-5">
          <FolderInput className="size-4" aria-hidden /> {pending ? "Importing…" : "Import"}
        </Button>
      </div>
      <FormAlert message={error} />
      {done && <FormDone>Imported {done.name}.</FormDone>}
    </form>
  );
}
