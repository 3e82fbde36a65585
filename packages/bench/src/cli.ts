#!/usr/bin/env node
/**
 * npm run bench [-- --duration=10 --connections=10 --warmup=2 --bcrypt-cost=12 --boot-runs=5]
 *   writes docs/benchmarks.md and docs/benchmarks.json; exit 0 (targets not met are reported, not fatal).
 * npm run bench:smoke  (= --smoke: 3 s per scenario, 1 s warm-up, 1 boot: boot times are reported,
 *   never checked, in a smoke)
 *   writes .bench/smoke.json; exit 1 only when a ratio is under half its target.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeGeneratedDocs } from './generated-docs';
import { keepOwnedSections, renderReport } from './report';
import { REPO_ROOT, runBench, type BenchOptions } from './run-bench';
import { describeCheck, SMOKE_TOLERANCE, smokeFailures } from './targets';

function parse(argv: string[]): BenchOptions {
  const smoke = argv.includes('--smoke');
  const options: BenchOptions = {
    durationSeconds: smoke ? 3 : 10,
    warmupSeconds: smoke ? 1 : 2,
    connections: 10,
    bcryptCost: 12,
    bootRuns: smoke ? 1 : 5,
    smoke,
    log: (line) => process.stdout.write(`${line}\n`),
  };
  for (const arg of argv) {
    if (arg === '--smoke') continue;
    const [flag, raw] = arg.split('=');
    const value = Number(raw);
    const positive = () => {
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
      return value;
    };
    switch (flag) {
      case '--duration':
        options.durationSeconds = positive();
        break;
      case '--connections':
        options.connections = Math.round(positive());
        break;
      case '--warmup':
        options.warmupSeconds = Number.isFinite(value) && value >= 0 ? value : positive();
        break;
      case '--bcrypt-cost':
        options.bcryptCost = Math.round(positive());
        break;
      case '--boot-runs':
        options.bootRuns = Math.round(positive());
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  options.log(
    `[bench] ${options.smoke ? 'smoke run' : 'benchmark'}: ${options.durationSeconds} s per scenario, ${options.connections} connections, bcrypt cost ${options.bcryptCost}`,
  );
  const report = await runBench(options);
  for (const c of report.checks) options.log(`[bench] ${c.met ? 'met    ' : 'NOT MET'} ${c.name}: ${describeCheck(c)}`);
  if (options.smoke) {
    const dir = path.join(REPO_ROOT, '.bench');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'smoke.json'), `${JSON.stringify(report, null, 2)}\n`);
    const failures = smokeFailures(report.checks);
    for (const f of failures)
      options.log(
        `[bench] REGRESSION: ${f.name} is ${f.value.toFixed(2)} ×, ${f.kind === 'ceiling' ? `over ${1 / SMOKE_TOLERANCE}` : `under ${SMOKE_TOLERANCE}`} × its target ${f.target}`,
      );
    options.log(`[bench] smoke ${failures.length ? 'FAILED' : 'passed'} in ${report.totalSeconds.toFixed(0)} s`);
    return failures.length ? 1 : 0;
  }
  const page = path.join(REPO_ROOT, 'docs/benchmarks.md');
  const previous = fs.existsSync(page) ? fs.readFileSync(page, 'utf8') : '';
  writeGeneratedDocs({
    'docs/benchmarks.json': `${JSON.stringify(report, null, 2)}\n`,
    'docs/benchmarks.md': keepOwnedSections(previous, renderReport(report)),
  });
  options.log(`[bench] wrote docs/benchmarks.md and docs/benchmarks.json in ${report.totalSeconds.toFixed(0)} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
