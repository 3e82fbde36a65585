import fs from 'node:fs';
import { z } from 'zod';
import { envSchema } from '../config/env.schema';
import { configRows, configTable, README_PATH, TABLE_END, TABLE_START, withConfigTable } from './config-table';

describe('the configuration table (README.md, generated from env.schema.ts)', () => {
  it('describes every variable of the schema', () => {
    for (const [variable, field] of Object.entries(envSchema.shape))
      expect({ variable, description: field.description }).toEqual({ variable, description: expect.any(String) });
    expect(configRows().map((r) => r.variable)).toEqual(Object.keys(envSchema.shape).map((v) => `\`${v}\``));
  });

  it('shows defaults, optional and required variables', () => {
    const rows = configRows({
      PORT: z.coerce.number().default(3000).describe('port'),
      CORS: z.string().default('').describe('origins'),
      SLUG: z.string().optional().describe('slug'),
      URL: z.string().describe('url'),
    });
    expect(rows.map((r) => r.default)).toEqual(['`3000`', 'empty', '—', 'required']);
    expect(() => configRows({ X: z.string() })).toThrow('X has no .describe()');
  });

  it('is what README.md shows (run `npm run docs:config` after changing env.schema.ts)', () => {
    const readme = fs.readFileSync(README_PATH, 'utf8');
    expect(readme).toContain(TABLE_START);
    expect(readme).toContain(TABLE_END);
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('would notice a README that differs', () => {
    const stale = `x\n${TABLE_START}\n\n| old |\n\n${TABLE_END}\ny`;
    expect(withConfigTable(stale)).not.toBe(stale);
    expect(withConfigTable(stale)).toBe(`x\n${TABLE_START}\n\n${configTable()}\n\n${TABLE_END}\ny`);
  });
});
