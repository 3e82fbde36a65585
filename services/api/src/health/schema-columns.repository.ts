import { Injectable } from '@nestjs/common';
import { mappedTables, type MappedTable } from '@chefcloud/db';
import { PrismaService } from '../database/prisma.service';

/** What this build needs of the database that is not there: `table`, `table.column`, `table: PRIVILEGE`. */
export interface SchemaGaps {
  missing: string[];
  denied: string[];
}

/** The privileges the API uses on every table it maps. */
const PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;

/**
 * Compares the tables and columns this build's Prisma schema maps (from the generated client,
 * see mappedTables) with the database's catalogue, and checks the API's role may use them. One
 * query on pg_catalog (information_schema would hide what the role may not see).
 */
@Injectable()
export class SchemaColumnsRepository {
  readonly expected: MappedTable[];

  constructor(private readonly prisma: PrismaService) {
    this.expected = mappedTables(prisma.client);
  }

  async gaps(): Promise<SchemaGaps> {
    const tables = this.expected.map((t) => t.table);
    const rows = await this.prisma.client.$queryRaw<
      { table_name: string; columns: string[]; s: boolean; i: boolean; u: boolean; d: boolean }[]
    >`
      SELECT c.relname AS table_name,
             array(SELECT a.attname::text FROM pg_attribute a
                   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
             has_table_privilege(c.oid, 'SELECT') AS s, has_table_privilege(c.oid, 'INSERT') AS i,
             has_table_privilege(c.oid, 'UPDATE') AS u, has_table_privilege(c.oid, 'DELETE') AS d
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
      WHERE c.relkind IN ('r', 'p') AND c.relname = ANY(${tables}::text[])`;
    const found = new Map(rows.map((r) => [r.table_name, r]));
    const missing: string[] = [];
    const denied: string[] = [];
    for (const { table, columns } of this.expected) {
      const row = found.get(table);
      if (!row) {
        missing.push(table);
        continue;
      }
      const present = new Set(row.columns);
      for (const column of columns) if (!present.has(column)) missing.push(`${table}.${column}`);
      const granted = [row.s, row.i, row.u, row.d];
      const refused = PRIVILEGES.filter((_, index) => !granted[index]);
      if (refused.length) denied.push(`${table}: ${refused.join(', ')}`);
    }
    return { missing, denied };
  }
}
