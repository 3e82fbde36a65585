import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jestGlobalTeardown } from './jest-global';

/** The run's temp folder as jestGlobalSetup leaves it (without starting a database server). */
function runTemp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-test-run-spec-'));
  (globalThis as Record<string, unknown>).__chefcloudTestRunTemp = { dir, previous: process.env.TMPDIR };
  return dir;
}

describe('jestGlobalTeardown: tests leave nothing behind', () => {
  afterEach(() => delete (globalThis as Record<string, unknown>).__chefcloudTestRunTemp);

  it('fails the run when its temp folder is not empty, naming what was left, and removes it', async () => {
    const dir = runTemp();
    fs.mkdirSync(path.join(dir, 'chefcloud-lint-abc'));
    fs.writeFileSync(path.join(dir, 'chefcloud-lint-abc', 'migration.sql'), '');
    fs.writeFileSync(path.join(dir, 'stray.log'), '');
    await expect(jestGlobalTeardown()).rejects.toThrow(
      'the tests left 2 item(s) in their temp folder (each test removes what it makes): chefcloud-lint-abc/ (migration.sql), stray.log',
    );
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('passes when it is empty but for the tools’ own files, removes it and gives TMPDIR back', async () => {
    const before = process.env.TMPDIR;
    const dir = runTemp();
    fs.mkdirSync(path.join(dir, 'jiti'));
    fs.writeFileSync(path.join(dir, 'testcontainers-node-0.lock'), '');
    process.env.TMPDIR = dir;
    await jestGlobalTeardown();
    expect(fs.existsSync(dir)).toBe(false);
    expect(process.env.TMPDIR).toBe(before);
  });
});
