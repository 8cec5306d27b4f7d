import Link from "next/link";

export function Nav() {
  return (
    <nav className="w-52 shrink-0 border-r border-slate-200 bg-white px-4 py-6">
      <Link href="/" className="mb-8 block text-lg font-semibold tracking-tight">
        Corral
      </Link>
      <ul className="space-y-1 text-sm">
        <li>
          <Link href="/" className="block rounded px-2 py-1.5 hover:bg-slate-100">
            Guests
          </Link>
        </li>
        <li>
          <Link href="/images" className="block rounded px-2 py-1.5 hover:bg-slate-100">
            Images
          </Link>
        </li>
      </ul>
    </nav>
  );
}
