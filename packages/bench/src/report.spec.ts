import { keepOwnedSections, renderReport, type BenchReport } from './report';
import { maxCheck, ratioCheck } from './targets';

const report: BenchReport = {
  startedAt: '2026-11-25T12:00:00.000Z',
  machine: { cores: 2, cpu: 'Test CPU', memoryGiB: 24, node: 'v22.0.0', platform: 'linux' },
  settings: { durationSeconds: 10, warmupSeconds: 2, connections: 10, bcryptCost: 10, bootRuns: 5, smoke: false },
  scenarios: [
    {
      name: 'floor: GET /api/health/live',
      requestsPerSecond: 5000,
      p50Ms: 1,
      p99Ms: 4,
      requests: 50000,
      non2xx: 0,
      errors: 0,
    },
  ],
  timings: { 'boot median': 0.9 },
  checks: [
    ratioCheck('maintenance banner vs floor', 4000, 5000, 0.7, 'a / b'),
    maxCheck('boot', 2.0, 1.5, 's', 'median'),
  ],
  totalSeconds: 100,
};

describe('renderReport', () => {
  it('states the machine, each figure, each ratio with its target and whether it is met', () => {
    const text = renderReport(report);
    expect(text).toContain('Machine: 2 cores (Test CPU), 24 GiB, Node v22.0.0');
    expect(text).toContain('| maintenance banner vs floor | 0.80 × | ≥ 0.7 × | met | a / b |');
    expect(text).toContain('| boot | 2.0 s | < 1.5 s | **not met** | median |');
    expect(text).toContain('| floor: GET /api/health/live | 5000.0 | 1.0 | 4.0 | 50000 | 0 | 0 |');
  });
});

describe('keepOwnedSections', () => {
  const section = '<!-- container-check:start -->\n\n## Containers\n\n| a | b |\n\n<!-- container-check:end -->';

  it('keeps the container check’s section when the bench rewrites the page', () => {
    const previous = `# Benchmarks\n\nold figures\n\n${section}\n`;
    expect(keepOwnedSections(previous, '# Benchmarks\n\nnew figures\n')).toBe(
      `# Benchmarks\n\nnew figures\n\n${section}\n`,
    );
  });

  it('leaves the page alone when there is no such section', () => {
    expect(keepOwnedSections('# old\n', '# new\n')).toBe('# new\n');
  });
});
