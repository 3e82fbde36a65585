import fs from 'node:fs';
import path from 'node:path';

/** Where the hardening suites leave their figures for `npm run reliability:report` (git-ignored). */
export const RELIABILITY_DIR = path.resolve(__dirname, '../../../../.reliability');

/** Record a suite's figures (cases tried, 5xx count, recovery times...) and print them. */
export function recordFigures(suite: string, figures: Record<string, unknown>): void {
  fs.mkdirSync(RELIABILITY_DIR, { recursive: true });
  const entry = { suite, recordedAt: new Date().toISOString(), node: process.version, ...figures };
  fs.writeFileSync(path.join(RELIABILITY_DIR, `${suite}.json`), `${JSON.stringify(entry, null, 2)}\n`);
  process.stdout.write(`[reliability] ${suite}: ${JSON.stringify(figures)}\n`);
}
