// A browser upload of an image file, streamed by the browser (XHR sends the File from disk)
// with upload progress, which fetch() cannot report. Resolves with the same ApiResult
// shape as every other call, so a failed upload can never read as a success.
import type { ApiResult } from "../shared/api-client";
import type { ApiError, ImageView } from "../shared/protocol";

export interface UploadHandle {
  done: Promise<
    ApiResult<ImageView> | { ok: false; status: 0; code: "aborted"; message: string; fields: Record<string, string> }
  >;
  abort(): void;
}

export function uploadImage(file: File, name: string, onProgress: (sent: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const query = new URLSearchParams({ name, size: String(file.size) });
  const done = new Promise<Awaited<UploadHandle["done"]>>((resolve) => {
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onabort = () =>
      resolve({ ok: false, status: 0, code: "aborted", message: "Upload cancelled; nothing was kept.", fields: {} });
    xhr.onerror = () =>
      resolve({
        ok: false,
        status: 0,
        code: "unreachable",
        message: "The upload was cut off: the web server or the host daemon closed the connection.",
        fields: {},
      });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {}
      if (xhr.status === 201 && body) return resolve({ ok: true, status: 201, data: body as ImageView });
      const err = (body as Partial<ApiError> | null)?.error;
      resolve({
        ok: false,
        status: xhr.status,
        code: err?.code ?? "http",
        message: err?.message ?? `The upload was refused (HTTP ${xhr.status}).`,
        fields: err?.fields ?? {},
      });
    };
  });
  xhr.open("POST", `/api/images/upload?${query}`);
  xhr.setRequestHeader("content-type", "application/octet-stream");
  xhr.send(file);
  return { done, abort: () => xhr.abort() };
}

/** A default image name from a file name: "Debian 12.img" → "debian-12". */
export function imageNameFromFile(fileName: string): string {
  const base = fileName
    .replace(/\.(img|ext[234]|raw)$/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "");
  return base.slice(0, 63) || "image";
}
