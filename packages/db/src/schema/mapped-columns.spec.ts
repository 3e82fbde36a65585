import fs from 'node:fs';
import { createPrismaClient } from '../client';
import { PRISMA_SCHEMA_PATH } from '../paths';
import { mappedTables } from './mapped-columns';

describe('mappedTables', () => {
  it('lists every table and column the generated client maps, by their database names', async () => {
    const client = createPrismaClient({ url: 'postgresql://nobody@127.0.0.1:1/none' });
    const tables = mappedTables(client);
    // Every model of schema.prisma, by its @@map name: a model added later is included by itself.
    const schema = fs.readFileSync(PRISMA_SCHEMA_PATH, 'utf8');
    const models = [...schema.matchAll(/^model \w+ \{[^}]*@@map\("(\w+)"\)/gm)].map((m) => m[1]).sort();
    expect(models.length).toBeGreaterThanOrEqual(8);
    expect(tables.map((t) => t.table)).toEqual(models);
    const columns = Object.fromEntries(tables.map((t) => [t.table, t.columns]));
    expect(columns.sessions).toEqual(expect.arrayContaining(['last_activity_at', 'user_id', 'jti']));
    expect(columns.users).toEqual(expect.arrayContaining(['session_version', 'role_level', 'password_hash']));
    expect(columns.users).not.toContain('sessions'); // relations are not columns
    expect(columns.users).not.toContain('sessionVersion'); // database names, not field names
    await client.$disconnect();
  });
});
