import Link from "next/link";
import { Search } from "lucide-react";
import { localInputFromUtc, type AuditFilter } from "@/lib/shared/audit-filter";
import { AUDIT_OUTCOMES } from "@/lib/shared/protocol";
import { buttonClasses } from "../ui/button";
import { FormField, inputClasses } from "../ui/form-field";

/** A plain GET form: the filter lives in the URL, so a filtered view can be linked and reloaded. */
export function AuditFilterForm({ filter, actions }: { filter: AuditFilter; actions: string[] }) {
  const input = inputClasses(false);
  return (
    <form role="search" aria-label="Filter the audit trail" method="get" className="flex flex-wrap items-end gap-3 p-4">
      <FormField label="Who" htmlFor="audit-actor" className="w-40">
        <input id="audit-actor" name="actor" defaultValue={filter.actor} autoComplete="off" className={input} />
      </FormField>
      <FormField label="Action" htmlFor="audit-action" className="w-48">
        <input
          id="audit-action"
          name="action"
          list="audit-actions"
          defaultValue={filter.action}
          autoComplete="off"
          className={input}
        />
        <datalist id="audit-actions">
          {actions.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </FormField>
      <FormField label="Outcome" htmlFor="audit-outcome" className="w-32">
        <select id="audit-outcome" name="outcome" defaultValue={filter.outcome ?? ""} className={input}>
          <option value="">any</option>
          {AUDIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="Since (UTC)" htmlFor="audit-since" className="w-52">
        <input
          id="audit-since"
          name="since"
          type="datetime-local"
          defaultValue={localInputFromUtc(filter.since)}
          className={input}
        />
      </FormField>
      <FormField label="Until (UTC)" htmlFor="audit-until" className="w-52">
        <input
          id="audit-until"
          name="until"
          type="datetime-local"
          defaultValue={localInputFromUtc(filter.until)}
          className={input}
        />
      </FormField>
      <div className="flex gap-2">
        <button type="submit" className={buttonClasses("primary")}>
          <Search aria-hidden className="size-4" />
          Filter
        </button>
        <Link href="/audit" className={buttonClasses("secondary")}>
          Clear
        </Link>
      </div>
    </form>
  );
}
