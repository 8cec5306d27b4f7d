import { headers } from "next/headers";
import { CorralProvider } from "@/components/app-shell/corral-provider";
import { Nav } from "@/components/app-shell/nav";
import { requireUser } from "@/lib/server/current-user";
import { publicDaemonUrl } from "@/lib/server/daemon";

// The signed-in part of Corral. The socket to the daemon opens here, after sign-in, so it
// carries the session cookie; the sign-in page opens none.
export default async function SignedInLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const h = await headers();
  const socketUrl = publicDaemonUrl(h.get("host"), h.get("x-forwarded-proto"));
  return (
    <CorralProvider socketUrl={socketUrl}>
      <div className="flex min-h-screen">
        <Nav user={user} />
        <main className="min-w-0 flex-1 px-8 py-6">{children}</main>
      </div>
    </CorralProvider>
  );
}
