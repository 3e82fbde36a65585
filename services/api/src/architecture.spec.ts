import fs from 'node:fs';
import path from 'node:path';

/** Rules of the code base's shape, checked over the source tree (services/api/src). */
const SRC = __dirname;

function sourceFiles(dir = SRC): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

const files = sourceFiles().map((file) => ({
  file: path.relative(SRC, file).split(path.sep).join('/'),
  text: fs.readFileSync(file, 'utf8'),
}));
const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

/** Modules global because nearly every module needs them: the configuration and the database client. */
const GLOBAL_MODULES = ['config/config.module.ts', 'database/database.module.ts'];

describe('architecture', () => {
  it('scans the source tree', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('declares one Nest module per *.module.ts file, and modules nowhere else', () => {
    const misplaced = files.filter((f) => count(f.text, /^@Module\(/gm) !== (f.file.endsWith('.module.ts') ? 1 : 0));
    expect(misplaced.map((f) => f.file)).toEqual([]);
  });

  it(`keeps @Global() to ${GLOBAL_MODULES.join(' and ')}`, () => {
    expect(files.filter((f) => /^@Global\(\)/m.test(f.text)).map((f) => f.file)).toEqual(GLOBAL_MODULES);
  });
});
