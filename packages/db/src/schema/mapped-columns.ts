import type { PrismaClient } from '../generated/prisma/client';

/** A table this build's Prisma schema maps, with every column it reads or writes. */
export interface MappedTable {
  table: string;
  columns: string[];
}

interface RuntimeField {
  name: string;
  kind: string;
  dbName?: string | null;
}

/**
 * Every table and column the generated client maps (scalar and enum fields; relations are not
 * columns), from the client's runtime data model: the data model `prisma generate` compiled
 * into this build from schema.prisma — never a hand-kept list, so a column added to the schema
 * is checked by the next build's readiness without anyone remembering to.
 */
export function mappedTables(client: PrismaClient): MappedTable[] {
  const model = (
    client as unknown as {
      _runtimeDataModel: { models: Record<string, { dbName?: string | null; fields: RuntimeField[] }> };
    }
  )._runtimeDataModel;
  return Object.entries(model.models)
    .map(([name, m]) => ({
      table: m.dbName ?? name,
      columns: m.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => f.dbName ?? f.name),
    }))
    .sort((a, b) => a.table.localeCompare(b.table));
}
