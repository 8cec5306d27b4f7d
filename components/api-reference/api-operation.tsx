import clsx from "clsx";
import type { ApiOperationView } from "@/lib/shared/protocol";
import { schemaRules, schemaType, SchemaView } from "./schema-view";

const METHOD_COLOURS: Record<string, string> = {
  get: "bg-sky-100 text-sky-900",
  post: "bg-emerald-100 text-emerald-900",
  patch: "bg-amber-100 text-amber-900",
  delete: "bg-rose-100 text-rose-900",
};

const bytes = (n: number) =>
  n >= 1024 * 1024 ? `${n / 1024 / 1024} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} bytes`;

/** One route: method, path and permission; opened, its parameters and body. */
export function ApiOperation({ method, path, op }: { method: string; path: string; op: ApiOperationView }) {
  const body = op.requestBody && Object.entries(op.requestBody.content)[0];
  return (
    <details id={op.operationId} className="group border-b border-slate-100 last:border-b-0">
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5 hover:bg-slate-50">
        <span
          className={clsx(
            "w-16 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold uppercase",
            METHOD_COLOURS[method],
          )}
        >
          {method}
        </span>
        <code className="font-mono text-sm text-slate-900">{path}</code>
        <span className="text-xs text-slate-500">{op.summary}</span>
      </summary>
      <div className="flex flex-col gap-3 px-4 pt-1 pb-4 text-sm">
        <p className="text-xs text-slate-600">
          Permission: <code className="font-mono">{op["x-corral-permission"]}</code>
          {op.security.length === 0 && " — no sign-in needed"}
        </p>
        {op.parameters.length > 0 && (
          <section aria-label="Parameters">
            <h3 className="mb-1 text-xs font-semibold text-slate-700">Parameters</h3>
            <ul className="flex flex-col gap-1">
              {op.parameters.map((p) => (
                <li key={`${p.in}-${p.name}`} className="text-xs">
                  <span className="font-mono font-medium text-slate-900">{p.name}</span>{" "}
                  <span className="text-slate-500">in {p.in}</span>{" "}
                  <span className="font-mono text-sky-800">{schemaType(p.schema)}</span>{" "}
                  {p.required ? (
                    <span className="font-medium text-rose-700">required</span>
                  ) : (
                    <span className="text-slate-500">optional</span>
                  )}
                  {schemaRules(p.schema).length > 0 && (
                    <span className="text-slate-500"> · {schemaRules(p.schema).join(" · ")}</span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
        <section aria-label="Request body">
          <h3 className="mb-1 text-xs font-semibold text-slate-700">
            Body{" "}
            <span className="font-normal text-slate-500">
              {body ? `${body[0]}, at most ${bytes(op["x-corral-body-max-bytes"])}` : "none (or {})"}
            </span>
          </h3>
          {body && <SchemaView schema={body[1].schema} />}
        </section>
      </div>
    </details>
  );
}
