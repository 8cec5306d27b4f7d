import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

/** An address Corral does not have at all (pages' own "not found" is app/(app)/not-found.tsx). */
export default function NotFound() {
  return (
    <div className="mx-auto mt-16 flex max-w-md flex-col items-start gap-3 px-6">
      <h1 className="text-2xl font-semibold tracking-tight">Not found</h1>
      <p className="text-sm text-slate-600">There is no page at this address.</p>
      <Link href="/" className={buttonClasses("secondary")}>
        Back to guests
      </Link>
    </div>
  );
}
