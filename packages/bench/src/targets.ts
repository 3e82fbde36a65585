/** One measured figure compared with its target. */
export interface Check {
  name: string;
  /** `ratio` targets compare two figures of the same run; `max` targets are absolute limits. */
  kind: 'ratio' | 'max';
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

export function maxCheck(name: string, value: number, target: number, unit: string, detail: string): Check {
  return { name, kind: 'max', value, target, unit, met: value < target, detail };
}

/**
 * The CI smoke run fails only when a ratio is far below its target (under half of it): the
 * signature of a regression such as a lost cache or a blocked event loop. Absolute times never
 * fail it — CI machines vary too much.
 */
export const SMOKE_TOLERANCE = 0.5;

export function smokeFailures(checks: Check[]): Check[] {
  return checks.filter((c) => c.kind === 'ratio' && c.value < c.target * SMOKE_TOLERANCE);
}
