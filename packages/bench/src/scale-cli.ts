#!/usr/bin/env node
/**
 * npm run bench:scale [-- --rounds=3 --duration=4 --warmup=1 --connections=4]
 *   seeds 1% and 100% of the production size, writes docs/benchmarks-scale.md and .json; exit 0
 *   (targets not met are reported, not fatal).
 * npm run bench:scale -- --smoke  (CI: 0.02% and 2%, one round; writes .bench/scale-smoke.json;
 *   exit 1 only when a ratio is over twice its target).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeGeneratedDocs } from './generated-docs';
import { REPO_ROOT } from './run-bench';
import { runScale, type ScaleOptions } from './scale/run-scale';
import { renderScaleReport } from './scale/scale-report';
import { describeCheck, smokeFailures } from './targets';

function parse(argv: string[]): ScaleOptions {
  const smoke = argv.includes('--smoke');
  const options: ScaleOptions = smoke
    ? {
        fractions: [0.0002, 0.02],
        tenant: { auditRows: 2_000, windows: 500 },
        rounds: 1,
        warmupSeconds: 0.5,
        durationSeconds: 1.5,
        connections: 4,
        bcryptCost: 4,
        pageSize: 20,
        smoke,
        log: (line) => process.stdout.write(`${line}\n`),
      }
    : {
        fractions: [0.01, 1],
        tenant: { auditRows: 5_000, windows: 2_000 },
        rounds: 3,
        warmupSeconds: 1,
        durationSeconds: 4,
        connections: 4,
        bcryptCost: 4,
        pageSize: 20,
        smoke,
        log: (line) => process.stdout.write(`${line}\n`),
      };
  for (const arg of argv) {
    if (arg === '--smoke') continue;
    const [flag, raw] = arg.split('=');
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a number >= 0`);
    switch (flag) {
      case '--rounds':
        options.rounds = Math.max(1, Math.round(value));
        break;
      case '--duration':
        options.durationSeconds = value;
        break;
      case '--warmup':
        options.warmupSeconds = value;
        break;
      case '--connections':
        options.connections = Math.max(1, Math.round(value));
        break;
      case '--fraction':
        options.fractions = [value / 100, value];
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  const report = await runScale(options);
  for (const c of report.checks)
    options.log(`[bench:scale] ${c.met ? 'met    ' : 'NOT MET'} ${c.name}: ${describeCheck(c)}`);
  for (const n of report.notes) options.log(`[bench:scale] note: ${n}`);
  if (options.smoke) {
    const dir = path.join(REPO_ROOT, '.bench');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'scale-smoke.json'), `${JSON.stringify(report, null, 2)}\n`);
    const failures = smokeFailures(report.checks);
    for (const f of failures) options.log(`[bench:scale] REGRESSION: ${f.name} is ${describeCheck(f)}`);
    options.log(`[bench:scale] smoke ${failures.length ? 'FAILED' : 'passed'} in ${report.totalSeconds.toFixed(0)} s`);
    return failures.length ? 1 : 0;
  }
  writeGeneratedDocs({
    'docs/benchmarks-scale.json': `${JSON.stringify(report, null, 2)}\n`,
    'docs/benchmarks-scale.md': renderScaleReport(report),
  });
  options.log(`[bench:scale] wrote docs/benchmarks-scale.md and .json in ${report.totalSeconds.toFixed(0)} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `[bench:scale] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
