import type { ApiResult } from "@/lib/shared/api-client";
import { plural } from "@/lib/shared/format";
import type { MeView } from "@/lib/shared/protocol";
import { Card } from "../ui/card";
import { FormAlert } from "../ui/form-field";
import { QuotaUsage } from "./quota-usage";

/**
 * The signed-in developer's usage against their quota, as the daemon counts it (it alone
 * knows the disk figures). Nothing for roles without a quota.
 */
export function QuotaCard({ me }: { me: ApiResult<MeView> }) {
  if (!me.ok) {
    return (
      <Card title="Your quota" bodyClassName="p-4">
        <FormAlert message={`Your usage could not be read: ${me.message}`} />
      </Card>
    );
  }
  const { quota, usage } = me.data.user;
  if (!quota) return null;
  return (
    <Card title="Your quota" bodyClassName="flex flex-col gap-3 p-4">
      <QuotaUsage quota={quota} usage={usage} />
      <p className="text-xs text-slate-500">
        Disk counts what your guests&apos; changes and snapshots occupy
        {usage.images > 0 ? `, and the ${plural(usage.images, "image")} you committed` : ", and images you commit"}.
        Deleting an unused image you committed gives its space back.
      </p>
    </Card>
  );
}
