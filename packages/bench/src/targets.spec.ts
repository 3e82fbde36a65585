import { maxCheck, ratioCheck, smokeFailures } from './targets';

describe('targets', () => {
  it('a ratio target is met at or above it', () => {
    expect(ratioCheck('r', 70, 100, 0.7, '').met).toBe(true);
    expect(ratioCheck('r', 69, 100, 0.7, '')).toMatchObject({ value: 0.69, met: false });
    expect(ratioCheck('r', 5, 0, 0.7, '').value).toBe(0);
  });

  it('a max target is met strictly below it', () => {
    expect(maxCheck('m', 49.9, 50, 'ms', '').met).toBe(true);
    expect(maxCheck('m', 50, 50, 'ms', '').met).toBe(false);
  });

  it('smoke fails only on ratios under half their target, never on absolute figures', () => {
    const checks = [
      ratioCheck('fine', 0.6, 1, 0.7, ''),
      ratioCheck('lost cache', 0.3, 1, 0.7, ''),
      maxCheck('slow machine', 500, 50, 'ms', ''),
    ];
    expect(smokeFailures(checks).map((c) => c.name)).toEqual(['lost cache']);
  });
});
