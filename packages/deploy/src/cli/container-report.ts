#!/usr/bin/env node
/**
 * `npm run containers:report`: writes the last container check's figures
 * (.containers/last-run.json, from `npm run test:containers`) into docs/benchmarks.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  LAST_RUN_FILE,
  renderContainerSection,
  withContainerSection,
  type ContainerCheckReport,
} from '../container-report';
import { REPO_ROOT } from '../repo';

if (!fs.existsSync(LAST_RUN_FILE)) {
  process.stderr.write(
    `[containers] no ${path.relative(REPO_ROOT, LAST_RUN_FILE)}: run npm run test:containers first\n`,
  );
  process.exit(1);
}
const report = JSON.parse(fs.readFileSync(LAST_RUN_FILE, 'utf8')) as ContainerCheckReport;
const page = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
fs.writeFileSync(page, withContainerSection(fs.readFileSync(page, 'utf8'), renderContainerSection(report)));
process.stdout.write(`[containers] wrote the figures of ${report.when} into docs/benchmarks.md\n`);
