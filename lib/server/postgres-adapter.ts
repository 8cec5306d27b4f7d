import { PrismaPg } from "@prisma/adapter-pg";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Io = { performIO(query: unknown): Promise<{ fields: Array<{ dataTypeID: number }> }> };

// PostgreSQL's type oids: `name` (the catalogue's identifier type) and `text`.
const NAME_OID = 19;
const TEXT_OID = 25;

/**
 * The node-postgres driver adapter, reading `name` columns as text.
 *
 * Hazard (prisma/orm#27403): @prisma/adapter-pg refuses columns of type `name`, which
 * Prisma's schema engine reads from the catalogue, so its `migrate diff` through the adapter
 * (scripts/schema-diff.ts, for `npm run db:postgres`) fails with "Column type 'name' could not
 * be deserialized". `name` is text of at most 63 bytes; reporting it as text is exact.
 * Corral's own tables have no such column.
 */
export function postgresAdapter(url: string): PrismaPg {
  const factory = new PrismaPg({ connectionString: url });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = namesAsText(await connect());
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => namesAsText(await start(isolationLevel));
    return adapter;
  };
  return factory;
}

function namesAsText<T extends Adapter | Awaited<ReturnType<Adapter["startTransaction"]>>>(queryable: T): T {
  const io = queryable as unknown as Io;
  const perform = io.performIO.bind(io);
  io.performIO = async (query) => {
    const result = await perform(query);
    for (const f of result.fields) if (f.dataTypeID === NAME_OID) f.dataTypeID = TEXT_OID;
    return result;
  };
  return queryable;
}
