/**
 * The container check's figures (`npm run test:containers`): kept in `.containers/last-run.json`
 * after each run, and written into docs/benchmarks.md by `npm run containers:report` (between
 * the markers below, which `npm run bench` keeps when it rewrites the page).
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './repo';

export interface ContainerCheckReport {
  when: string;
  steps: { name: string; seconds: number }[];
  buildSeconds?: number;
  /** How the build was held to a low CPU weight (CI builds beside npm test). */
  buildCpuWeight?: string;
  /** Build steps answered from the builder's cache (0: a cold build). */
  buildCachedSteps?: number;
  imageMB?: number;
  baseMB?: number;
  layersAboveBaseMB?: number;
  migrateSeconds?: number;
  stopSeconds?: number;
  /** The suites on the testcontainers path: run by the check, or CI's own `npm test` on the engine. */
  testcontainers?: { passed: number; failed: number; seconds: number; source?: 'npm test' };
}

export const LAST_RUN_FILE = path.join(REPO_ROOT, '.containers', 'last-run.json');
export const SECTION_START = '<!-- container-check:start -->';
export const SECTION_END = '<!-- container-check:end -->';

const fixed = (n: number | undefined, digits = 1) => (n === undefined ? '—' : n.toFixed(digits));

/** Save the run's figures and print them (the check's closing summary). */
export function writeLastRun(report: ContainerCheckReport, file = LAST_RUN_FILE): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${renderContainerSummary(report)}\n`);
}

/** A few plain lines: what CI prints at the end of the check. */
export function renderContainerSummary(r: ContainerCheckReport): string {
  const total = r.steps.reduce((sum, s) => sum + s.seconds, 0);
  return [
    `[containers] image ${r.imageMB ?? '—'} MB (base ${r.baseMB ?? '—'} MB, layers above it ${r.layersAboveBaseMB ?? '—'} MB), built in ${fixed(r.buildSeconds)} s (${r.buildCachedSteps ? `${r.buildCachedSteps} steps from the cache` : 'cold'}${r.buildCpuWeight ? `; ${r.buildCpuWeight}` : ''})`,
    `[containers] npm run db:deploy in the image ${fixed(r.migrateSeconds)} s; docker stop ${fixed(r.stopSeconds)} s`,
    ...(r.testcontainers
      ? [
          `[containers] integration suite on testcontainers${r.testcontainers.source ? ` (CI's ${r.testcontainers.source})` : ''}: ${r.testcontainers.passed} passed, ${r.testcontainers.failed} failed in ${fixed(r.testcontainers.seconds, 0)} s`,
        ]
      : []),
    `[containers] steps: ${r.steps.map((s) => `${s.name} ${fixed(s.seconds)} s`).join('; ')} (total ${fixed(total, 0)} s)`,
  ].join('\n');
}

/** The docs/benchmarks.md section, markers included. */
export function renderContainerSection(r: ContainerCheckReport): string {
  const rows: [string, string][] = [
    ['image size (MB)', String(r.imageMB ?? '—')],
    ['base image `node:22-bookworm-slim` (MB)', String(r.baseMB ?? '—')],
    ['layers above the base (MB, budget 150)', String(r.layersAboveBaseMB ?? '—')],
    [
      `\`docker build\` (s; ${r.buildCachedSteps ? `${r.buildCachedSteps} steps from the cache` : 'cold'})`,
      fixed(r.buildSeconds),
    ],
    ['`npm run db:deploy` in the image, full history, offline (s)', fixed(r.migrateSeconds)],
    ['`docker stop` of the API (s)', fixed(r.stopSeconds)],
    ...r.steps.map((s): [string, string] => [`check step: ${s.name} (s)`, fixed(s.seconds)]),
  ];
  if (r.testcontainers)
    rows.push([
      `integration suite on testcontainers${r.testcontainers.source ? ` (CI's ${r.testcontainers.source})` : ''} (passed / failed)`,
      `${r.testcontainers.passed} / ${r.testcontainers.failed}`,
    ]);
  const width = Math.max(...rows.map(([k]) => k.length), 'what'.length);
  const valueWidth = Math.max(...rows.map(([, v]) => v.length), 'value'.length);
  const line = (k: string, v: string) => `| ${k.padEnd(width)} | ${v.padEnd(valueWidth)} |`;
  return [
    SECTION_START,
    '',
    '## Containers',
    '',
    `The last \`npm run test:containers\` (${r.when}): the image built with no cache, run against a`,
    'PostgreSQL container, compose and the incident in containers, and the integration suite on the',
    'testcontainers path. On these machines the base images are the local stand-ins',
    '(`../shared/tools/container-standins`), so sizes differ from Docker Hub’s images.',
    '',
    line('what', 'value'),
    `| ${'-'.repeat(width)} | ${'-'.repeat(valueWidth)} |`,
    ...rows.map(([k, v]) => line(k, v)),
    '',
    SECTION_END,
  ].join('\n');
}

/** `page` with its container section replaced by `section` (appended when it has none). */
export function withContainerSection(page: string, section: string): string {
  const start = page.indexOf(SECTION_START);
  const end = page.indexOf(SECTION_END);
  if (start >= 0 && end > start) return page.slice(0, start) + section + page.slice(end + SECTION_END.length);
  return `${page.trimEnd()}\n\n${section}\n`;
}

/** The container section of `page`, if it has one (so a page rewrite can keep it). */
export function containerSectionOf(page: string): string | undefined {
  const start = page.indexOf(SECTION_START);
  const end = page.indexOf(SECTION_END);
  return start >= 0 && end > start ? page.slice(start, end + SECTION_END.length) : undefined;
}
