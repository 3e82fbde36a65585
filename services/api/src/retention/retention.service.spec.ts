import { Clock } from '../common/clock/clock';
import type { RetentionConnection, RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

const NOW = new Date('2026-11-26T10:00:00Z');
const config = {
  retention: { sessionRetentionDays: 30, intervalMs: 0, batchSize: 100 },
  loginThrottle: { ipLimit: 20, ipWindowSeconds: 60, accountLimit: 5, accountWindowSeconds: 900 },
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

function service(connection: RetentionConnection) {
  const repository = { connect: () => Promise.resolve(connection) } as unknown as RetentionRepository;
  const clock = { now: () => NOW } as Clock;
  return new RetentionService(repository, clock, config);
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
});
