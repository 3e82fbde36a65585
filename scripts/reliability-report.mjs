#!/usr/bin/env node
// @ts-check
// Writes the figures the hardening suites left in .reliability/*.json into docs/reliability.md,
// between the `figures` markers. `npm run reliability` runs the suites and then this; `npm test`
// runs the same suites, so `npm run reliability:report` after it refreshes the figures too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, '.reliability');
const doc = path.join(root, 'docs', 'reliability.md');
const START = '<!-- figures:start -->';
const END = '<!-- figures:end -->';

const ORDER = [
  'fuzz',
  'fault-database-down',
  'fault-database-hang',
  'fault-missing-tables',
  'fault-failed-migration',
  'faults-locks',
  'concurrency-bursts',
  'property-inputs',
  'sigterm-under-load',
  'security-secrets',
  'rbac-matrix',
  'login-timing',
  'multi-instance',
];
if (!fs.existsSync(dir)) {
  console.error('[reliability] no .reliability/ figures yet: run `npm test` or `npm run reliability` first');
  process.exit(1);
}
const entries = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))
  .sort((a, b) => ((ORDER.indexOf(a.suite) + 100) % 100) - ((ORDER.indexOf(b.suite) + 100) % 100));

/**
 * Nested figures as [dotted.key, text] pairs.
 * @param {object} value
 * @param {string} [prefix]
 * @returns {[string, string][]}
 */
const flatten = (value, prefix = '') =>
  Object.entries(value).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? flatten(v, `${prefix}${k}.`)
      : [/** @type {[string, string]} */ ([`${prefix}${k}`, Array.isArray(v) ? v.join(', ') : String(v)])],
  );

const lines = [
  START,
  '',
  `Last run: ${
    entries
      .map((e) => e.recordedAt)
      .sort()
      .pop() ?? 'never'
  } on ${os.cpus().length} cores, Node ${process.version}.`,
  '',
];
for (const { suite, recordedAt, node, ...figures } of entries) {
  lines.push(`**${suite}** (${recordedAt}, Node ${node})`, '', '| figure | value |', '| --- | --- |');
  for (const [k, v] of flatten(figures)) lines.push(`| ${k} | ${v} |`);
  lines.push('');
}
lines.push(END);

const text = fs.readFileSync(doc, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < 0) throw new Error(`${doc} lacks the ${START} / ${END} markers`);
fs.writeFileSync(doc, `${text.slice(0, start)}${lines.join('\n')}${text.slice(end + END.length)}`);
console.log(`[reliability] ${entries.length} suite(s) written to ${path.relative(root, doc)}`);
