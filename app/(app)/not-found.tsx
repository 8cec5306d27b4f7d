import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function NotFound() {
  return (
    <div className="mx-auto mt-16 flex max-w-md flex-col items-start gap-3">
      <h1 className="text-2xl font-semibold tracking-tight">Not found</h1>
      <p className="text-sm text-slate-600">
        There is no such guest or boot. It may have been deleted, or the address is mistyped.
      </p>
      <Link href="/" className={buttonClasses("secondary")}>
        Back to guests
      </Link>
    </div>
  );
}
