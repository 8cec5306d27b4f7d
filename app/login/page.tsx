import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/people/login-form";
import { currentUser } from "@/lib/server/current-user";
import { safeNextPath } from "@/lib/shared/session-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  const raw = (await searchParams).next;
  const next = safeNextPath(typeof raw === "string" ? raw : null);
  if (await currentUser()) redirect(next);
  return (
    <main className="grid min-h-screen place-items-center px-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2 text-lg font-semibold tracking-tight">
          <span aria-hidden className="grid size-7 place-items-center rounded-md bg-slate-900 text-sm text-white">
            C
          </span>
          Corral
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">Sign in</h1>
          <p className="mt-1 mb-5 text-sm text-slate-500">Your admin gives you an account.</p>
          <LoginForm next={next} />
        </div>
      </div>
    </main>
  );
}
