import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listShippedMigrations, migrationCreatingTable } from './shipped-migrations';

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

describe('migrationCreatingTable', () => {
  it('names the migration that creates a table', () => {
    expect(migrationCreatingTable('maintenance_windows')).toBe('20251029222740_change_control');
    expect(migrationCreatingTable('feature_flags')).toBe('20251029222740_change_control');
    expect(migrationCreatingTable('flag_audits')).toBe('20251029222740_change_control');
    expect(migrationCreatingTable('users')).toBe('20251001000000_init');
    expect(migrationCreatingTable('login_throttle')).toBe('20261125090000_login_throttle');
    expect(migrationCreatingTable('no_such_table')).toBeNull();
  });
});
