import type { GuestKind } from "@/lib/shared/protocol";

const LABELS: Record<GuestKind, { text: string; title: string }> = {
  uml: { text: "UML", title: "User-Mode Linux: a kernel of its own" },
  context: { text: "context", title: "A container sharing the host's kernel (LXC)" },
};

/** Which kind a guest is, beside its name. */
export function KindBadge({ kind }: { kind: GuestKind }) {
  const { text, title } = LABELS[kind];
  return (
    <span
      title={title}
      className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 align-middle text-xs font-normal text-slate-600"
    >
      {text}
    </span>
  );
}
