/** Per-phase figures of a rehearsal's traffic, and the one closing line. */
import type { RequestRecord } from './load';

/** The deploy's phases, in order, as the traffic saw them. */
export const PHASES = ['old only', 'migrating', 'both', 'new only'] as const;

export interface PhaseReport {
  phase: string;
  requests: number;
  /** Requests that did not answer 2xx, by status ("0" never appears: see errors). */
  non2xx: Record<string, number>;
  /** Connection errors and timeouts, by message. */
  errors: Record<string, number>;
  /** 5xx answers plus errors. */
  failed: number;
  p50Ms: number | null;
  p99Ms: number | null;
  byRequest: Record<string, number>;
  /** A few failed requests, for the reader. */
  samples: { name: string; status: number; error?: string; body?: string }[];
}

export function isFailure(r: RequestRecord): boolean {
  return r.status === 0 || r.status >= 500;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 10) / 10;
}

export function phaseReports(records: RequestRecord[]): PhaseReport[] {
  const names = [
    ...PHASES,
    ...new Set(records.map((r) => r.phase).filter((p) => !(PHASES as readonly string[]).includes(p))),
  ];
  return names.map((phase) => {
    const mine = records.filter((r) => r.phase === phase);
    const count = (list: string[]) =>
      list.reduce<Record<string, number>>((acc, key) => ({ ...acc, [key]: (acc[key] ?? 0) + 1 }), {});
    const latencies = mine.map((r) => r.ms).sort((a, b) => a - b);
    const failures = mine.filter(isFailure);
    return {
      phase,
      requests: mine.length,
      non2xx: count(
        mine.filter((r) => r.status !== 0 && (r.status < 200 || r.status >= 300)).map((r) => String(r.status)),
      ),
      errors: count(mine.filter((r) => r.status === 0).map((r) => r.error ?? 'unknown error')),
      failed: failures.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      byRequest: count(mine.map((r) => r.name)),
      samples: failures.slice(0, 5).map((r) => ({ name: r.name, status: r.status, error: r.error, body: r.body })),
    };
  });
}

export function closingLine(
  variant: string,
  records: RequestRecord[],
  outcome: 'succeeded' | 'failed',
  expected: 'succeeded' | 'failed',
): string {
  const failed = records.filter(isFailure).length;
  const deploy =
    outcome === expected
      ? outcome === 'succeeded'
        ? 'succeeded'
        : 'failed as expected'
      : outcome === 'succeeded'
        ? 'succeeded (expected it to fail)'
        : 'failed (expected it to succeed)';
  return `rehearsal ${variant}: ${records.length} requests, ${failed} failed, deploy ${deploy}`;
}

/** A table of the phases for the terminal. */
export function phaseTable(reports: PhaseReport[]): string[] {
  return reports.map((r) => {
    const non2xx = Object.entries(r.non2xx)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
    return `  ${r.phase.padEnd(9)} ${String(r.requests).padStart(6)} requests  ${String(r.failed).padStart(4)} failed  p50 ${r.p50Ms ?? '-'} ms  p99 ${r.p99Ms ?? '-'} ms${non2xx ? `  non-2xx ${non2xx}` : ''}${errors ? `  errors ${errors}` : ''}`;
  });
}
