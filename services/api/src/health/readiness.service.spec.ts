import { Logger } from '@nestjs/common';
import { listShippedMigrations, shippedMigrationsDir, type AppliedMigration } from '@chefcloud/db';
import type { MetricsService } from '../metrics/metrics.service';
import type { MigrationHistoryRepository } from './migration-history.repository';
import { describeError, ReadinessService } from './readiness.service';
import type { SchemaColumnsRepository, SchemaGaps } from './schema-columns.repository';

/** Readiness with stand-in repositories: how often the schema comparison runs, and what it reports. */
function readiness(intervalMs: number, gaps: SchemaGaps = { missing: [], denied: [] }) {
  let applied: AppliedMigration[] = listShippedMigrations(shippedMigrationsDir()).map((name) => ({
    name,
    finishedAt: new Date(0),
    rolledBackAt: null,
  }));
  const comparisons = jest.fn(() => Promise.resolve(gaps));
  const service = new ReadinessService(
    { findApplied: () => Promise.resolve(applied) } as unknown as MigrationHistoryRepository,
    { gaps: comparisons } as unknown as SchemaColumnsRepository,
    { healthTimeoutMs: 2_000, readinessSchemaCheckIntervalMs: intervalMs },
    { readiness: jest.fn(), beforeScrape: jest.fn() } as unknown as MetricsService,
  );
  return {
    service,
    comparisons,
    setApplied: (rows: AppliedMigration[]) => {
      applied = rows;
    },
    applied: () => applied,
  };
}

describe('ReadinessService: the schema comparison (tables, columns, privileges)', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('runs at most once per READINESS_SCHEMA_CHECK_INTERVAL_MS, however many checks', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['setTimeout', 'clearTimeout', 'nextTick', 'setImmediate'] });
    const r = readiness(30_000);
    for (let i = 0; i < 5; i++) expect((await r.service.check()).status).toBe('ok');
    expect(r.comparisons).toHaveBeenCalledTimes(1);
    jest.setSystemTime(1_000_000 + 30_001);
    await r.service.check();
    expect(r.comparisons).toHaveBeenCalledTimes(2);
  });

  it('runs again at once when the applied migrations changed (a deploy just ran)', async () => {
    const r = readiness(600_000);
    await r.service.check();
    r.setApplied(r.applied().slice(0, -1));
    expect((await r.service.check()).schema.state).toBe('behind');
    expect(r.comparisons).toHaveBeenCalledTimes(2);
  });

  it('is unavailable, naming them, when columns are missing or privileges refused', async () => {
    const missing = await readiness(0, { missing: ['sessions.last_activity_at'], denied: [] }).service.check();
    expect(missing).toMatchObject({
      status: 'unavailable',
      db: 'up',
      schema: { state: 'behind', missing: ['sessions.last_activity_at'] },
    });
    const denied = await readiness(0, { missing: [], denied: ['users: SELECT'] }).service.check();
    expect(denied).toMatchObject({
      status: 'unavailable',
      schema: { state: 'current', denied: ['users: SELECT'] },
      error: 'permission denied: users: SELECT',
    });
  });
});

describe('describeError: readiness never reports an empty error', () => {
  it.each([
    [
      'an Error with a message (first line only)',
      new Error('connect ECONNREFUSED 127.0.0.1:5432\n    at x'),
      'connect ECONNREFUSED 127.0.0.1:5432',
    ],
    ['an Error without a message', new Error(''), 'Error without a message'],
    [
      'a driver error with a code and no message',
      Object.assign(new Error('   '), { name: 'DriverAdapterError', code: 'ECONNRESET' }),
      'DriverAdapterError ECONNRESET without a message',
    ],
    ['a thrown string', 'socket hang up', 'socket hang up'],
    ['an empty thrown string', '', 'string without a message'],
    ['undefined', undefined, 'undefined'],
  ])('%s', (_case, error, expected) => {
    expect(describeError(error)).toBe(expected);
  });
});
