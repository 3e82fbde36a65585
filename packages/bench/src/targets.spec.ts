import { ceilingCheck, describeCheck, maxCheck, ratioCheck, smokeFailures } from './targets';

describe('targets', () => {
  it('a ratio target is met at or above it', () => {
    expect(ratioCheck('r', 70, 100, 0.7, '').met).toBe(true);
    expect(ratioCheck('r', 69, 100, 0.7, '')).toMatchObject({ value: 0.69, met: false });
    expect(ratioCheck('r', 5, 0, 0.7, '').value).toBe(0);
  });

  it('a ceiling target is met at or below it', () => {
    expect(ceilingCheck('c', 15, 10, 1.5, '')).toMatchObject({ value: 1.5, met: true, kind: 'ceiling' });
    expect(ceilingCheck('c', 16, 10, 1.5, '')).toMatchObject({ value: 1.6, met: false });
    expect(ceilingCheck('c', 5, 0, 1.5, '').met).toBe(false);
    expect(describeCheck(ceilingCheck('c', 12, 10, 1.5, ''))).toBe('1.20 × (target ≤ 1.5)');
  });

  it('a max target is met strictly below it', () => {
    expect(maxCheck('m', 49.9, 50, 'ms', '').met).toBe(true);
    expect(maxCheck('m', 50, 50, 'ms', '').met).toBe(false);
  });

  it('smoke fails only on ratios far off their target (under half, or over twice a ceiling), never on absolute figures', () => {
    const checks = [
      ratioCheck('fine', 0.6, 1, 0.7, ''),
      ratioCheck('lost cache', 0.3, 1, 0.7, ''),
      maxCheck('slow machine', 500, 50, 'ms', ''),
      ceilingCheck('noisy but fine', 2.9, 1, 1.5, ''),
      ceilingCheck('missing index', 3.1, 1, 1.5, ''),
    ];
    expect(smokeFailures(checks).map((c) => c.name)).toEqual(['lost cache', 'missing index']);
  });
});
