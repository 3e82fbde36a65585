import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listShippedMigrations } from './shipped-migrations';

describe('listShippedMigrations', () => {
  it('lists the repository migrations in apply order, the incident migration included', () => {
    const names = listShippedMigrations();
    expect(names).toEqual([...names].sort());
    expect(names).toContain('20251029222740_change_control');
    expect(names.indexOf('20251029222740_change_control')).toBeGreaterThan(0);
  });

  it('ignores folders without migration.sql and stray files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    fs.mkdirSync(path.join(dir, '20250101000000_b'));
    fs.writeFileSync(path.join(dir, '20250101000000_b', 'migration.sql'), 'SELECT 1;');
    fs.mkdirSync(path.join(dir, '20240101000000_a'));
    fs.writeFileSync(path.join(dir, '20240101000000_a', 'migration.sql'), 'SELECT 1;');
    fs.mkdirSync(path.join(dir, 'empty'));
    fs.writeFileSync(path.join(dir, 'migration_lock.toml'), '');
    expect(listShippedMigrations(dir)).toEqual(['20240101000000_a', '20250101000000_b']);
  });
});
