import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <div className="mx-auto mt-16 flex max-w-md flex-col items-start gap-3">
      <h1 className="text-2xl font-semibold tracking-tight">Not allowed</h1>
      <p className="text-sm text-slate-600">
        Your role may not see this page. An admin can change your role on the Users page.
      </p>
      <Link href="/" className={buttonClasses("secondary")}>
        Back to guests
      </Link>
    </div>
  );
}
