import { db } from "@/lib/web-db";

export const dynamic = "force-dynamic";

export default async function GuestsPage() {
  const guests = await db.guest.findMany({ orderBy: { name: "asc" } });
  return (
    <div>
      <h1 className="text-2xl font-semibold">Guests</h1>
      <ul>{guests.map((g) => <li key={g.id}>{g.name}</li>)}</ul>
    </div>
  );
}
