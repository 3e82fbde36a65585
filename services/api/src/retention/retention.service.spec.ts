import { Clock } from '../common/clock/clock';
import { MetricsService } from '../metrics/metrics.service';
import type { RetentionConnection, RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

const NOW = new Date('2026-11-26T10:00:00Z');
const config = {
  retention: { sessionRetentionDays: 30, intervalMs: 0, batchSize: 100 },
  loginThrottle: { ipLimit: 20, ipAttemptLimit: 300, ipWindowSeconds: 60, accountLimit: 5, accountWindowSeconds: 900 },
};

/** A connection whose deletes hand out `pending` rows, at most `limit` per call. */
function fakeConnection(pending: { expired: number; revoked: number; throttle: number }, locked = true) {
  const calls: string[] = [];
  const take = (kind: keyof typeof pending, limit: number) => {
    const n = Math.min(limit, pending[kind]);
    pending[kind] -= n;
    calls.push(`${kind}:${n}`);
    return Promise.resolve(n);
  };
  const connection: RetentionConnection & { calls: string[]; closed: boolean; cutoffs: Date[]; windows: number[] } = {
    calls,
    closed: false,
    cutoffs: [],
    windows: [],
    tryLock: () => Promise.resolve(locked),
    deleteExpiredSessions: (cutoff, limit) => (connection.cutoffs.push(cutoff), take('expired', limit)),
    deleteRevokedSessions: (cutoff, limit) => (connection.cutoffs.push(cutoff), take('revoked', limit)),
    deleteStaleThrottleRows: (windowSeconds, limit) => (
      connection.windows.push(windowSeconds),
      take('throttle', limit)
    ),
    close: () => {
      connection.closed = true;
      return Promise.resolve();
    },
  };
  return connection;
}

function service(connection: RetentionConnection, metrics = new MetricsService({ metrics: noMetricsConfig })) {
  const repository = { connect: () => Promise.resolve(connection) } as unknown as RetentionRepository;
  const clock = { now: () => NOW } as Clock;
  return new RetentionService(repository, clock, config, metrics);
}

const noMetricsConfig = { enabled: false, token: null, flagKeys: [] };

/** The value of one series in a Prometheus exposition, undefined when absent. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('RetentionService', () => {
  it('deletes in batches of RETENTION_BATCH_SIZE until a batch comes back short, and counts what it deleted', async () => {
    const connection = fakeConnection({ expired: 250, revoked: 100, throttle: 30 });
    const retention = service(connection);
    const run = await retention.runOnce();
    expect(connection.calls).toEqual([
      'expired:100',
      'expired:100',
      'expired:50',
      'revoked:100',
      'revoked:0',
      'throttle:30',
    ]);
    expect(run).toMatchObject({ sessionsDeleted: 350, throttleRowsDeleted: 30, batches: 6 });
    expect(retention.stats()).toMatchObject({ runs: 1, skipped: 0, sessionsDeleted: 350, throttleRowsDeleted: 30 });
    expect(connection.closed).toBe(true);
  });

  it('keeps sessions SESSION_RETENTION_DAYS after they ended, and throttle rows for the longest window', async () => {
    const connection = fakeConnection({ expired: 0, revoked: 0, throttle: 0 });
    await service(connection).runOnce();
    expect(connection.cutoffs.map((d) => d.toISOString())).toEqual([
      '2026-10-27T10:00:00.000Z',
      '2026-10-27T10:00:00.000Z',
    ]);
    expect(connection.windows).toEqual([900]);
  });

  it('does nothing while another instance holds the lock', async () => {
    const connection = fakeConnection({ expired: 10, revoked: 10, throttle: 10 }, false);
    const retention = service(connection);
    expect(await retention.runOnce()).toBeNull();
    expect(connection.calls).toEqual([]);
    expect(retention.stats()).toMatchObject({ runs: 0, skipped: 1 });
    expect(connection.closed).toBe(true);
  });

  it('runs one job at a time per instance', async () => {
    const connection = fakeConnection({ expired: 0, revoked: 0, throttle: 0 });
    const retention = service(connection);
    const [first, second] = await Promise.all([retention.runOnce(), retention.runOnce()]);
    expect(first).not.toBeNull();
    expect(second).toBeNull();
  });

  it('counts a failed run, closes the connection and rejects', async () => {
    const connection = fakeConnection({ expired: 0, revoked: 0, throttle: 0 });
    connection.deleteRevokedSessions = () => Promise.reject(new Error('connection lost'));
    const retention = service(connection);
    await expect(retention.runOnce()).rejects.toThrow('connection lost');
    expect(retention.stats()).toMatchObject({ runs: 0, failures: 1 });
    expect(connection.closed).toBe(true);
  });

  it('shows its figures on the metrics endpoint (chefcloud_retention_*), read at scrape time', async () => {
    const metrics = new MetricsService({ metrics: { enabled: true, token: null, flagKeys: [] } });
    const before = await metrics.render();
    expect(value(before, 'chefcloud_retention_runs_total{outcome="completed"}')).toBe(0);
    const connection = fakeConnection({ expired: 120, revoked: 5, throttle: 7 });
    const retention = service(connection, metrics);
    await retention.runOnce();
    connection.tryLock = () => Promise.resolve(false);
    await retention.runOnce();
    connection.tryLock = () => Promise.reject(new Error('connection lost'));
    await expect(retention.runOnce()).rejects.toThrow('connection lost');
    const text = await metrics.render();
    expect(value(text, 'chefcloud_retention_runs_total{outcome="completed"}')).toBe(1);
    expect(value(text, 'chefcloud_retention_runs_total{outcome="skipped"}')).toBe(1);
    expect(value(text, 'chefcloud_retention_runs_total{outcome="failed"}')).toBe(1);
    expect(value(text, 'chefcloud_retention_rows_deleted_total{table="sessions"}')).toBe(125);
    expect(value(text, 'chefcloud_retention_rows_deleted_total{table="login_throttle"}')).toBe(7);
    const lastRunAt = retention.stats().lastRunAt?.getTime() ?? 0;
    expect(lastRunAt).toBeGreaterThan(0);
    expect(value(text, 'chefcloud_retention_last_run_timestamp_seconds')).toBe(lastRunAt / 1000);
    expect(value(text, 'chefcloud_retention_last_run_duration_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).toContain('# TYPE chefcloud_retention_runs_total counter');
  });
});
