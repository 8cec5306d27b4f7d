import { NextResponse, type NextRequest } from "next/server";
import { PATH_HEADER } from "@/lib/shared/session-user";

// Tells pages where they are, so a page that finds nobody signed in can send them to the
// sign-in page and back here afterwards (layouts and pages are not given the URL). It
// authorizes nothing: pages check the session themselves.
export function proxy(request: NextRequest) {
  const url = request.nextUrl;
  const search = new URLSearchParams(url.search);
  search.delete("_rsc");
  const query = search.toString();
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, `${url.pathname}${query ? `?${query}` : ""}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|icon.svg|favicon.ico|login).*)"],
};
