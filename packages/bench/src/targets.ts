/** One measured figure compared with its target. */
export interface Check {
  name: string;
  /**
   * `ratio` targets compare two figures of the same run (at least `target` ×); `ceiling` targets
   * too, from above (at most `target` ×: a p99 at 100% of the data over its p99 at 1%);
   * `max` targets are absolute limits.
   */
  kind: 'ratio' | 'ceiling' | 'max';
  value: number;
  target: number;
  unit: string;
  met: boolean;
  /** How the figure was obtained (numerator and baseline). */
  detail: string;
}

export function ratioCheck(name: string, measured: number, baseline: number, target: number, detail: string): Check {
  const value = baseline > 0 ? measured / baseline : 0;
  return { name, kind: 'ratio', value, target, unit: '×', met: value >= target, detail };
}

export function ceilingCheck(name: string, measured: number, baseline: number, target: number, detail: string): Check {
  const value = baseline > 0 ? measured / baseline : Infinity;
  return { name, kind: 'ceiling', value, target, unit: '×', met: value <= target, detail };
}

export function maxCheck(name: string, value: number, target: number, unit: string, detail: string): Check {
  return { name, kind: 'max', value, target, unit, met: value < target, detail };
}

/**
 * The CI smoke run fails only when a ratio is far off its target (under half of a `ratio`
 * target, over twice a `ceiling` one): the signature of a regression such as a lost cache, a
 * blocked event loop or a missing index. Absolute times never fail it — CI machines vary too much.
 */
export const SMOKE_TOLERANCE = 0.5;

export function smokeFailures(checks: Check[]): Check[] {
  return checks.filter(
    (c) =>
      (c.kind === 'ratio' && c.value < c.target * SMOKE_TOLERANCE) ||
      (c.kind === 'ceiling' && c.value > c.target / SMOKE_TOLERANCE),
  );
}

/** How a check reads in a report: "0.93 × (target ≥ 0.9)". */
export function describeCheck(c: Check): string {
  switch (c.kind) {
    case 'ratio':
      return `${c.value.toFixed(2)} × (target ≥ ${c.target})`;
    case 'ceiling':
      return `${c.value.toFixed(2)} × (target ≤ ${c.target})`;
    case 'max':
      return `${c.value.toFixed(1)} ${c.unit} (target < ${c.target} ${c.unit})`;
  }
}
