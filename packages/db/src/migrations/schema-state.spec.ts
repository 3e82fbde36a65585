import { compareMigrations } from './schema-state';

const row = (name: string, finished = true, rolledBack = false) => ({
  name,
  finishedAt: finished ? new Date() : null,
  rolledBackAt: rolledBack ? new Date() : null,
});

describe('compareMigrations', () => {
  const shipped = ['001_a', '002_b', '003_c'];

  it('is current when every shipped migration is applied', () => {
    expect(compareMigrations(shipped, [row('001_a'), row('002_b'), row('003_c')])).toEqual({
      state: 'current',
      applied: shipped,
      pending: [],
      failed: [],
      unknown: [],
    });
  });

  it('is behind with the pending names in apply order; a never-migrated database has all pending', () => {
    expect(compareMigrations(shipped, [row('001_a')])).toMatchObject({
      state: 'behind',
      applied: ['001_a'],
      pending: ['002_b', '003_c'],
    });
    expect(compareMigrations(shipped, [])).toMatchObject({ state: 'behind', applied: [], pending: shipped });
  });

  it('reports a failed migration as pending and failed; a rolled-back attempt followed by success as applied', () => {
    expect(compareMigrations(shipped, [row('001_a'), row('002_b', false)])).toMatchObject({
      state: 'behind',
      pending: ['002_b', '003_c'],
      failed: ['002_b'],
    });
    expect(
      compareMigrations(shipped, [row('001_a'), row('002_b', false, true), row('002_b'), row('003_c')]),
    ).toMatchObject({ state: 'current', failed: [] });
  });

  it('lists applied migrations this build does not ship (database ahead) without calling it behind', () => {
    expect(compareMigrations(['001_a'], [row('001_a'), row('002_b')])).toEqual({
      state: 'current',
      applied: ['001_a'],
      pending: [],
      failed: [],
      unknown: ['002_b'],
    });
  });
});
