import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DB_PACKAGE_DIR } from '../paths';
import {
  contractMarker,
  contractReleaseProblem,
  DESTRUCTIVE_RULES,
  EXPAND_CONTRACT_HELP,
  type ContractMarker,
} from './contract-step';

export const SQUAWK_CONFIG = path.join(DB_PACKAGE_DIR, '.squawk.toml');

export interface LintViolation {
  file: string;
  line: number;
  rule: string;
  message: string;
  help: string | null;
}

export interface LintResult {
  ok: boolean;
  violations: LintViolation[];
  /** Files squawk skipped because of excluded_paths in the config. */
  excluded: string[];
  /** Contract steps: destructive statements accepted because the file names the release that stopped using them. */
  contracts: { file: string; marker: ContractMarker; accepted: LintViolation[] }[];
}

function squawkBinary(): string {
  return require.resolve('squawk-cli/js/bin/squawk');
}

/** Glob-ish match of squawk's excluded_paths patterns (`*` only), as squawk applies them. */
function excludedBy(patterns: string[], file: string): boolean {
  return patterns.some((pattern) =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ).test(file),
  );
}

function excludedPatterns(configText: string): string[] {
  const block = /excluded_paths\s*=\s*\[([\s\S]*?)\]/.exec(configText)?.[1] ?? '';
  return [...block.matchAll(/^\s*"([^"]+)"/gm)].map((m) => m[1]);
}

/** Run squawk (the npm package's own binary) with the checked-in config over `files`. */
export function lintMigrationFiles(files: string[], configPath: string = SQUAWK_CONFIG): LintResult {
  if (files.length === 0) return { ok: true, violations: [], excluded: [], contracts: [] };
  const patterns = excludedPatterns(fs.readFileSync(configPath, 'utf8'));
  const excluded = files.filter((f) => excludedBy(patterns, f));
  // squawk exits 1 with "Failed to find files" when every path it is given is excluded (a
  // database with only the baseline pending), so excluded files are never handed to it.
  const linted = files.filter((f) => !excluded.includes(f));
  if (linted.length === 0) return { ok: true, violations: [], excluded, contracts: [] };
  const result = spawnSync(
    process.execPath,
    [squawkBinary(), '--config', configPath, '--reporter', 'json', ...linted],
    {
      encoding: 'utf8',
    },
  );
  if (result.error) throw result.error;
  const out = result.stdout.trim();
  let parsed: { file: string; line: number; rule_name: string; message: string; help: string | null }[] = [];
  try {
    parsed = out ? (JSON.parse(out) as typeof parsed) : [];
  } catch {
    throw new Error(`squawk failed (exit ${result.status}): ${out}\n${result.stderr}`);
  }
  const squawked = parsed.map((v) => ({
    file: v.file,
    // squawk's JSON counts lines from 0; editors and every other report count from 1.
    line: v.line + 1,
    rule: v.rule_name,
    message: v.message,
    help: v.help,
  }));
  if (result.status !== 0 && squawked.length === 0)
    throw new Error(`squawk failed (exit ${result.status}): ${result.stderr || out}`);
  const { violations, contracts } = applyExpandContract(squawked, files);
  return { ok: violations.length === 0, violations, excluded, contracts };
}

/**
 * The expand/contract rule over squawk's verdicts: a destructive statement (DESTRUCTIVE_RULES)
 * passes only in a file marked as a contract step naming a shipped release; elsewhere its help
 * points at the rule. A marker naming an unknown release is itself a violation.
 */
function applyExpandContract(
  squawked: LintViolation[],
  files: string[],
): { violations: LintViolation[]; contracts: LintResult['contracts'] } {
  const violations: LintViolation[] = [];
  const contracts: LintResult['contracts'] = [];
  const markers = new Map<string, ContractMarker | undefined>();
  const markerOf = (file: string) => {
    if (!markers.has(file)) {
      const marker = fs.existsSync(file) ? contractMarker(fs.readFileSync(file, 'utf8')) : undefined;
      markers.set(file, marker);
      if (marker) {
        const problem = contractReleaseProblem(marker.release, DB_PACKAGE_DIR);
        if (problem)
          violations.push({
            file,
            line: marker.line,
            rule: 'contract-release',
            message: `contract step: ${problem}`,
            help: EXPAND_CONTRACT_HELP,
          });
        else contracts.push({ file, marker, accepted: [] });
      }
    }
    return contracts.find((c) => c.file === file);
  };
  for (const file of files) markerOf(file);
  for (const v of squawked) {
    if (!DESTRUCTIVE_RULES.has(v.rule)) {
      violations.push(v);
      continue;
    }
    const contract = markerOf(v.file);
    if (contract) contract.accepted.push(v);
    else violations.push({ ...v, help: v.help ? `${v.help}\n    ${EXPAND_CONTRACT_HELP}` : EXPAND_CONTRACT_HELP });
  }
  return { violations, contracts };
}
