import type { RequestRecord } from './load';
import { closingLine, phaseReports, phaseTable } from './report';

const record = (phase: string, status: number, ms: number, error?: string): RequestRecord => ({
  phase,
  name: 'me',
  status,
  ms,
  ...(error ? { error } : {}),
});

describe('rehearsal report', () => {
  const records = [
    record('old only', 200, 10),
    record('old only', 200, 30),
    record('migrating', 500, 5),
    record('migrating', 429, 7),
    record('migrating', 0, 30_000, 'TimeoutError: aborted'),
    record('new only', 201, 20),
  ];

  it('counts each phase in deploy order: requests, non-2xx by status, errors, failed (5xx + errors), p50/p99', () => {
    const [old, migrating, both, next] = phaseReports(records);
    expect(old).toEqual(expect.objectContaining({ phase: 'old only', requests: 2, failed: 0, p50Ms: 10, p99Ms: 30 }));
    expect(migrating).toEqual(
      expect.objectContaining({
        phase: 'migrating',
        requests: 3,
        non2xx: { '500': 1, '429': 1 },
        errors: { 'TimeoutError: aborted': 1 },
        failed: 2,
      }),
    );
    expect(migrating.samples.map((s) => s.status)).toEqual([500, 0]);
    expect(both).toEqual(expect.objectContaining({ phase: 'both', requests: 0, p50Ms: null }));
    expect(next).toEqual(expect.objectContaining({ phase: 'new only', requests: 1, failed: 0 }));
    expect(phaseTable(phaseReports(records))[1]).toContain('non-2xx 429×1 500×1  errors 1');
  });

  it('ends with one line naming requests, failures and whether the outcome was the expected one', () => {
    expect(closingLine('default', records, 'succeeded', 'succeeded')).toBe(
      'rehearsal default: 6 requests, 2 failed, deploy succeeded',
    );
    expect(closingLine('break', [], 'failed', 'failed')).toBe(
      'rehearsal break: 0 requests, 0 failed, deploy failed as expected',
    );
    expect(closingLine('break', [], 'succeeded', 'failed')).toContain('deploy succeeded (expected it to fail)');
    expect(closingLine('default', [], 'failed', 'succeeded')).toContain('deploy failed (expected it to succeed)');
  });
});
