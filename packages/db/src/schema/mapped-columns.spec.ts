import { createPrismaClient } from '../client';
import { mappedTables } from './mapped-columns';

describe('mappedTables', () => {
  it('lists every table and column the generated client maps, by their database names', async () => {
    const client = createPrismaClient({ url: 'postgresql://nobody@127.0.0.1:1/none' });
    const tables = mappedTables(client);
    expect(tables.map((t) => t.table)).toEqual([
      'branches',
      'feature_flags',
      'flag_audits',
      'login_throttle',
      'maintenance_windows',
      'orgs',
      'sessions',
      'users',
    ]);
    const columns = Object.fromEntries(tables.map((t) => [t.table, t.columns]));
    expect(columns.sessions).toEqual(expect.arrayContaining(['last_activity_at', 'user_id', 'jti']));
    expect(columns.users).toEqual(expect.arrayContaining(['session_version', 'role_level', 'password_hash']));
    expect(columns.users).not.toContain('sessions'); // relations are not columns
    await client.$disconnect();
  });
});
