#!/usr/bin/env node
/**
 * The black-box smoke against a running API: `node packages/deploy/dist/smoke/smoke-cli.js <base URL>`
 * (`npm run deploy:compat` compiles an old release's copy with that release's own `tsc`).
 * One line per request; exit 0 when every request answered as expected, 1 otherwise.
 */
import { describeStep, runSmoke } from './black-box-smoke';

const baseUrl = process.argv[2];
if (!baseUrl) {
  process.stderr.write('usage: smoke-cli <base URL>\n');
  process.exit(2);
}
runSmoke(baseUrl, (step) => process.stdout.write(`[smoke] ${describeStep(step)}\n`)).then(
  (steps) => {
    process.exitCode = steps.every((s) => s.ok) ? 0 : 1;
  },
  (error: unknown) => {
    process.stderr.write(`[smoke] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
