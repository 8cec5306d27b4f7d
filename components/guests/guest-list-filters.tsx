"use client";

import Link from "next/link";
import { Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import {
  GUEST_KINDS,
  GUEST_STATES,
  guestListSearch,
  parseGuestListParams,
  type GuestListQuery,
} from "@/lib/shared/protocol";
import { buttonClasses } from "../ui/button";
import { FormField, inputClasses } from "../ui/form-field";

export interface GuestFilterChoices {
  /** Usernames that own guests; empty for people who see only their own. */
  owners: string[];
  images: string[];
  /** The fleet's hosts, by name. */
  hosts: string[];
}

/**
 * Search and filters as a GET form: the list lives in the URL, so a filtered view can be
 * linked, reloaded and left with the back button. A filter applies as soon as it is chosen;
 * the search on Enter. A new filter starts again at page 1; the sort and page size stay.
 */
export function GuestListFilters({ query, choices }: { query: GuestListQuery; choices: GuestFilterChoices }) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const input = inputClasses(false);
  const submit = () => form.current?.requestSubmit();
  const select = (name: "state" | "owner" | "image" | "kind" | "host", label: string, options: readonly string[]) => (
    <FormField label={label} htmlFor={`guest-filter-${name}`} className="w-36">
      <select
        id={`guest-filter-${name}`}
        name={name}
        defaultValue={query[name] ?? ""}
        onChange={submit}
        className={input}
      >
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </FormField>
  );
  const filtered = query.q || query.state || query.owner || query.image || query.kind || query.host;
  return (
    <form
      ref={form}
      action="/"
      method="get"
      onSubmit={(e) => {
        // Without JavaScript the form submits as it is; with it, empty fields stay out of the URL.
        e.preventDefault();
        const fields = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
        router.push(`/${guestListSearch(parseGuestListParams(fields))}`);
      }}
      role="search"
      aria-label="Filter guests"
      className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-4"
    >
      <FormField label="Search" htmlFor="guest-filter-q" className="w-52">
        <input
          id="guest-filter-q"
          name="q"
          type="search"
          defaultValue={query.q ?? ""}
          placeholder="Search by name"
          autoComplete="off"
          className={input}
        />
      </FormField>
      {select("state", "State", GUEST_STATES)}
      {choices.owners.length > 0 && select("owner", "Owner", choices.owners)}
      {select("image", "Image", choices.images)}
      {select("kind", "Kind", GUEST_KINDS)}
      {select("host", "Host", choices.hosts)}
      {query.sort && <input type="hidden" name="sort" value={query.sort} />}
      {query.dir && <input type="hidden" name="dir" value={query.dir} />}
      {query.per && <input type="hidden" name="per" value={query.per} />}
      <div className="flex gap-2">
        <button type="submit" className={buttonClasses("secondary")}>
          <Search aria-hidden className="size-4" />
          Search
        </button>
        {filtered && (
          <Link href="/" className={buttonClasses("ghost")}>
            Clear
          </Link>
        )}
      </div>
    </form>
  );
}
