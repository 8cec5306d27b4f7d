"use client";

import { Upload, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { formatBytes } from "@/lib/shared/format";
import type { ImageView } from "@/lib/shared/protocol";
import { imageNameFromFile, uploadImage, type UploadHandle } from "@/lib/client/upload-image";
import { Button } from "../ui/button";
import { Bar } from "../ui/usage-bar";
import { FormField, inputClasses, FormAlert, FormDone } from "../ui/form-field";

/** Uploads an image file from this computer, with a progress bar and a cancel button. */
export function ImageUpload({ maxBytes }: { maxBytes: number }) {
  const router = useRouter();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [sent, setSent] = useState<{ loaded: number; total: number } | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ImageView | null>(null);
  const upload = useRef<UploadHandle | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // Leaving the page ends the upload: the daemon removes what it had received.
  useEffect(() => () => upload.current?.abort(), []);

  const tooBig = file !== null && file.size > maxBytes;
  const fileError = tooBig
    ? `This file is ${formatBytes(file.size)}; uploads are limited to ${formatBytes(maxBytes)}.`
    : null;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!file || tooBig) return;
    setError(null);
    setFields({});
    setDone(null);
    setSent({ loaded: 0, total: file.size });
    const handle = uploadImage(file, name, (loaded, total) => setSent({ loaded, total }));
    upload.current = handle;
    const r = await handle.done;
    upload.current = null;
    setSent(null);
    if (!r.ok) {
      setFields(r.fields);
      setError(r.message);
      return;
    }
    setDone(r.data);
    setFile(null);
    setName("");
    if (fileInput.current) fileInput.current.value = "";
    router.refresh();
  }

  const busy = sent !== null;
  const percent = sent && sent.total > 0 ? Math.floor((100 * sent.loaded) / sent.total) : 0;
  return (
    <form onSubmit={submit} noValidate aria-label="Upload an image" className="flex flex-col gap-3">
      <p className="text-xs text-slate-500">
        Sends an ext2/3/4 image file from this computer, up to {formatBytes(maxBytes)}. It is checked and hashed when it
        arrives; a cancelled or refused upload leaves nothing behind.
      </p>
      <div className="flex flex-wrap items-start gap-3">
        <FormField label="Image file" htmlFor={`${id}-file`} error={fileError ?? fields.file} className="w-72">
          <input
            id={`${id}-file`}
            ref={fileInput}
            type="file"
            disabled={busy}
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (f && !name) setName(imageNameFromFile(f.name));
              setError(null);
            }}
            className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm"
          />
        </FormField>
        <FormField label="Image name" htmlFor={`${id}-name`} error={fields.name} className="w-56">
          <input
            id={`${id}-name`}
            value={name}
            spellCheck={false}
            disabled={busy}
            onChange={(e) => setName(e.target.value)}
            className={inputClasses(Boolean(fields.name))}
          />
        </FormField>
        <Button type="submit" variant="primary" disabled={busy || !file || tooBig} className="mt-5">
          <Upload className="size-4" aria-hidden /> Upload
        </Button>
      </div>
      {sent && (
        <div className="flex items-center gap-3">
          <Bar
            role="progressbar"
            label="Upload progress"
            value={percent}
            max={100}
            fraction={percent / 100}
            tone="sky"
            className="w-72"
          />
          <span className="text-xs text-slate-600 tabular-nums">
            {percent}% · {formatBytes(sent.loaded)} of {formatBytes(sent.total)}
          </span>
          <Button size="sm" onClick={() => upload.current?.abort()}>
            <X className="size-3.5" aria-hidden /> Cancel upload
          </Button>
        </div>
      )}
      <FormAlert message={error} />
      {done && (
        <FormDone>
          Uploaded {done.name} ({formatBytes(done.sizeBytes)}).
        </FormDone>
      )}
    </form>
  );
}
