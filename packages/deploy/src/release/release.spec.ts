/**
 * The rehearsal's default old release, on a throwaway git repository shaped like ours: a side
 * branch adds a migration, main adds another, and the merge renames the side branch's so that it
 * sorts last. `git log -1 -- migrations` then names the side branch's merge of main, whose
 * parent carries the migration under its old name: a database HEAD migrates would hold a
 * migration HEAD does not know. The default must be a release main served, with a strict subset
 * of HEAD's migrations.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultOldRef, migrationsAtCommit } from './release';

const MIGRATIONS = 'packages/db/prisma/migrations';

describe('defaultOldRef', () => {
  let root: string;
  let clock = 0;
  const git = (...args: string[]): string => {
    // One second per git call: commit dates in order, as `git log` sorts them.
    const date = `${1_700_000_000 + ++clock} +0000`;
    const r = spawnSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.test',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.test',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  const addMigration = (name: string) => {
    fs.mkdirSync(path.join(root, MIGRATIONS, name), { recursive: true });
    fs.writeFileSync(path.join(root, MIGRATIONS, name, 'migration.sql'), `-- ${name}\n`);
  };
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-release-spec-'));
    git('init', '-q', '-b', 'main');
    addMigration('20250101000000_init');
    commit('init');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is the parent of the last commit that added a migration, on a straight history', () => {
    const before = commit('code only');
    addMigration('20250201000000_second');
    commit('second migration');
    commit('code after it');
    expect(defaultOldRef(root)).toBe(before);
  });

  it('never picks a side branch commit whose migration was renamed at the merge', () => {
    const base = git('rev-parse', 'HEAD');
    git('checkout', '-q', '-b', 'side');
    addMigration('20250301000000_side');
    commit('side: a migration');
    git('checkout', '-q', 'main');
    addMigration('20250401000000_main');
    const mainBeforeMerge = commit('main: a newer migration');
    // The side branch merges main and renames its migration to sort after main's.
    git('checkout', '-q', 'side');
    git('merge', '-q', '--no-ff', '--no-commit', 'main');
    fs.renameSync(
      path.join(root, MIGRATIONS, '20250301000000_side'),
      path.join(root, MIGRATIONS, '20250501000000_side'),
    );
    const sideMerge = commit('side: merge main, rename the migration');
    git('checkout', '-q', 'main');
    git('merge', '-q', '--no-ff', '-m', 'main: merge side', 'side');

    // The naive default (parent of `git log -1 -- migrations`) is the side branch's commit with
    // the migration under its old name.
    const naive = git('log', '-1', '--format=%H', '--', MIGRATIONS);
    expect(naive).toBe(sideMerge);
    expect(migrationsAtCommit(root, `${naive}^`)).toContain('20250301000000_side');

    const chosen = defaultOldRef(root);
    expect(chosen).toBe(mainBeforeMerge);
    expect(chosen).not.toBe(base);
    const head = migrationsAtCommit(root, 'HEAD');
    expect(head).toEqual(['20250101000000_init', '20250401000000_main', '20250501000000_side']);
    expect(migrationsAtCommit(root, chosen)).toEqual(['20250101000000_init', '20250401000000_main']);
  });

  it('says to pass --from when no commit has fewer migrations than HEAD', () => {
    commit('code only');
    expect(() => defaultOldRef(root)).toThrow(/pass --from <ref>/);
  });
});
