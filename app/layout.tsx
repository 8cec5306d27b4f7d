import type { Metadata } from "next";
import { headers } from "next/headers";
import { CorralProvider } from "@/components/corral-provider";
import { Nav } from "@/components/nav";
import { publicDaemonUrl } from "@/lib/daemon";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Corral", template: "%s · Corral" } };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const h = await headers();
  const socketUrl = publicDaemonUrl(h.get("host"), h.get("x-forwarded-proto"));
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <CorralProvider socketUrl={socketUrl}>
          <div className="flex min-h-screen">
            <Nav />
            <main className="min-w-0 flex-1 px-8 py-6">{children}</main>
          </div>
        </CorralProvider>
      </body>
    </html>
  );
}
