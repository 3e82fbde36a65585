import {
  containerSectionOf,
  renderContainerSection,
  renderContainerSummary,
  withContainerSection,
  type ContainerCheckReport,
} from './container-report';

const report: ContainerCheckReport = {
  when: '2026-11-26T10:00:00.000Z',
  steps: [
    { name: 'docker build', seconds: 61.2 },
    { name: 'docker compose', seconds: 20.4 },
  ],
  buildSeconds: 61.2,
  imageMB: 440,
  baseMB: 313,
  layersAboveBaseMB: 127,
  migrateSeconds: 2.3,
  stopSeconds: 0.6,
  testcontainers: { passed: 389, failed: 0, seconds: 120 },
};

describe('container check report', () => {
  it('summarises a run in plain lines', () => {
    const text = renderContainerSummary(report);
    expect(text).toContain('[containers] image 440 MB (base 313 MB, layers above it 127 MB), built in 61.2 s (cold)');
    expect(text).toContain('integration suite on testcontainers: 389 passed, 0 failed in 120 s');
    expect(text).toContain('(total 82 s)');
    // CI hands the check its own npm test run on the engine instead of running the suites twice.
    expect(
      renderContainerSummary({
        ...report,
        testcontainers: { passed: 800, failed: 0, seconds: 700, source: 'npm test' },
      }),
    ).toContain("integration suite on testcontainers (CI's npm test): 800 passed, 0 failed in 700 s");
  });

  it('renders a delimited docs section and replaces it in place', () => {
    const section = renderContainerSection(report);
    expect(section).toMatch(/^<!-- container-check:start -->[\s\S]*<!-- container-check:end -->$/);
    expect(section).toMatch(/\| layers above the base \(MB, budget 150\) +\| 127 +\|/);
    const page = withContainerSection('# Benchmarks\n\nfigures\n', section);
    expect(page).toBe(`# Benchmarks\n\nfigures\n\n${section}\n`);
    const newer = renderContainerSection({ ...report, imageMB: 430 });
    const replaced = withContainerSection(page, newer);
    expect(replaced).toBe(`# Benchmarks\n\nfigures\n\n${newer}\n`);
    expect(containerSectionOf(replaced)).toBe(newer);
    expect(containerSectionOf('# none')).toBeUndefined();
  });
});
