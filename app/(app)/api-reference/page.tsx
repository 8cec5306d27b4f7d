import type { Metadata } from "next";
import { ApiOperation } from "@/components/api-reference/api-operation";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/server/current-user";
import { daemonGet } from "@/lib/server/daemon-api";
import { OPENAPI_PATH, type ApiDocumentView, type ApiOperationView } from "@/lib/shared/protocol";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API reference" };

/** Every route of the daemon's API, grouped by the noun it serves, from its OpenAPI document. */
export default async function ApiReferencePage() {
  await requireUser();
  const doc = await daemonGet<ApiDocumentView>(OPENAPI_PATH);
  if (!doc.ok)
    return (
      <div className="mx-auto flex max-w-4xl flex-col gap-6">
        <PageHeader title="API reference" />
        <p role="alert" className="text-sm text-rose-700">
          {doc.message}
        </p>
      </div>
    );
  const groups = new Map<string, Array<{ method: string; path: string; op: ApiOperationView }>>();
  for (const [path, methods] of Object.entries(doc.data.paths))
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags[0] ?? "other";
      groups.set(tag, [...(groups.get(tag) ?? []), { method, path, op }]);
    }
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6">
      <PageHeader
        title="API reference"
        description={
          <>
            The host daemon&apos;s API, version {doc.data.info.version}: every route, the permission it needs, its
            parameters and body. Send an API token (Your account → API tokens) as{" "}
            <code>Authorization: Bearer corral_…</code>. The same as an OpenAPI 3.1 document:{" "}
            <a className="text-sky-700 underline" href={OPENAPI_PATH}>
              openapi.json
            </a>
            .
          </>
        }
      />
      {[...groups.entries()].map(([tag, ops]) => (
        <Card key={tag} title={<span className="font-mono">/api/{tag}</span>} aside={`${ops.length} routes`}>
          {ops.map(({ method, path, op }) => (
            <ApiOperation key={`${method} ${path}`} method={method} path={path} op={op} />
          ))}
        </Card>
      ))}
    </div>
  );
}
