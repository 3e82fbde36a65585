import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { freePlanVariant, loadBlueprint, webService } from './render-blueprint';
import { RENDER_YAML, REPO_ROOT } from './repo';
import { missingOutput, runnableBlocks } from './runbook';

const RUNBOOK = fs.readFileSync(path.join(REPO_ROOT, 'docs/runbooks/deploy.md'), 'utf8');

describe('runnableBlocks', () => {
  it('reads runnable blocks with their attributes and the output block after each, indented or not', () => {
    const blocks = runnableBlocks(
      [
        '## One',
        '```bash',
        'not run',
        '```',
        '1. step',
        '   ```bash runnable exit=1 setup=thing',
        '   npm run x',
        '     indented more',
        '   ```',
        '   prints:',
        '   ```text output',
        '   a … b',
        '',
        '   c',
        '   ```',
        '## Two',
        '```sql runnable',
        'SELECT 1;',
        '```',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      {
        language: 'bash',
        code: 'npm run x\n  indented more',
        line: 6,
        section: 'One',
        exitCode: 1,
        setup: 'thing',
        expected: ['a … b', 'c'],
      },
      { language: 'sql', code: 'SELECT 1;', line: 17, section: 'Two', exitCode: 0, setup: undefined, expected: [] },
    ]);
  });
});

describe('missingOutput', () => {
  it('matches lines in order, … as anything, several in one printed line', () => {
    const out = '{"key":"k","active":false}\nverdict: UP TO DATE\n';
    expect(missingOutput(['"key":"k"…"active":false', 'verdict: UP TO DATE'], out)).toEqual([]);
    expect(missingOutput(['"key":"k"', '"active":false'], out)).toEqual([]);
    expect(missingOutput(['verdict: UP TO DATE', '"key":"k"'], out)).toEqual(['"key":"k"']);
    expect(missingOutput(['(regex chars) [are] literal.'], 'x')).toEqual(['(regex chars) [are] literal.']);
  });
});

describe('docs/runbooks/deploy.md', () => {
  const blocks = runnableBlocks(RUNBOOK);

  it('has runnable blocks for each operator section, most of them with the output they promise', () => {
    expect(new Set(blocks.map((b) => b.section))).toEqual(
      new Set([
        'First deploy',
        'Verify a deploy',
        'Routine deploy',
        'A failed pre-deploy',
        'Rolling back',
        'Maintenance windows: emergency bypass and ending a window',
      ]),
    );
    expect(blocks.filter((b) => b.expected.length > 0).length).toBeGreaterThanOrEqual(10);
  });

  it('uses no variable it does not define first, or the runbook test does not provide', () => {
    const provided = new Set(['API', 'DATABASE_URL', 'HOME', 'PATH']);
    for (const block of blocks.filter((b) => b.language === 'bash')) {
      for (const line of block.code.split('\n')) {
        for (const [, name] of line.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g))
          expect({ block: block.line, name, defined: provided.has(name) }).toEqual({
            block: block.line,
            name,
            defined: true,
          });
        for (const [, name] of line.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)=/g)) provided.add(name);
        for (const [, name] of line.matchAll(/read\s+-\w+\s+'[^']*'\s+([A-Z_][A-Z0-9_]*)/g)) provided.add(name);
      }
    }
  });

  it('shows the free-plan variant that `deploy:local --free-plan` rehearses', () => {
    const yamlBlock = /## Free-plan variant[\s\S]*?```yaml\n([\s\S]*?)```/.exec(RUNBOOK)?.[1];
    const shown = parse(yamlBlock ?? '') as { plan: string; startCommand: string; preDeployCommand?: string };
    const variant = freePlanVariant(webService(loadBlueprint(RENDER_YAML)));
    expect(shown).toEqual({ plan: variant.plan, startCommand: variant.startCommand });
    expect(variant.preDeployCommand).toBeUndefined();
  });
});
