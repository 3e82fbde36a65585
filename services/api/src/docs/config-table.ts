import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { envSchema } from '../config/env.schema';

/**
 * README's configuration table, generated from the zod schema (every variable's `.describe()`
 * and default), between these two markers. `npm run docs:config` rewrites it; a unit test
 * (config-table.spec.ts) fails when README.md differs from what the schema says.
 */
export const TABLE_START =
  '<!-- config-table:start: generated from services/api/src/config/env.schema.ts by `npm run docs:config` -->';
export const TABLE_END = '<!-- config-table:end -->';

export const README_PATH = path.resolve(__dirname, '..', '..', '..', '..', 'README.md');

export interface ConfigRow {
  variable: string;
  default: string;
  meaning: string;
}

/** One row per variable, in the schema's order. Throws if a variable has no description. */
export function configRows(shape: Record<string, z.ZodType> = envSchema.shape): ConfigRow[] {
  return Object.entries(shape).map(([variable, field]) => {
    if (!field.description) throw new Error(`${variable} has no .describe() in env.schema.ts`);
    return { variable: `\`${variable}\``, default: defaultText(field), meaning: field.description };
  });
}

function defaultText(field: z.ZodType): string {
  if (field instanceof z.ZodDefault) {
    const value: unknown = field.def.defaultValue;
    return value === '' ? 'empty' : `\`${String(value)}\``;
  }
  return field.isOptional() ? '—' : 'required';
}

/** The table as Prettier formats Markdown: columns padded to their widest cell. */
export function configTable(rows: ConfigRow[] = configRows()): string {
  const header: ConfigRow = { variable: 'variable', default: 'default', meaning: 'meaning' };
  const columns = ['variable', 'default', 'meaning'] as const;
  const widths = columns.map((c) => Math.max(3, ...[header, ...rows].map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(columns.map((c) => header[c])),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => r[c]))),
  ].join('\n');
}

/** `readme` with the text between the markers replaced by `table`. */
export function withConfigTable(readme: string, table = configTable()): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} section`);
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

/** `npm run docs:config`: rewrite README.md's configuration table from the schema. */
if (require.main === module) {
  const readme = fs.readFileSync(README_PATH, 'utf8');
  const updated = withConfigTable(readme);
  if (updated === readme) {
    process.stdout.write('README.md configuration table is up to date\n');
  } else {
    fs.writeFileSync(README_PATH, updated);
    process.stdout.write(`README.md configuration table rewritten (${configRows().length} variables)\n`);
  }
}
