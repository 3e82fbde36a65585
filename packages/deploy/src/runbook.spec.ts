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

  it('says what operators otherwise learn the hard way (issue 19: items 4, 5, 8, 10, 13)', () => {
    const text = RUNBOOK.replace(/\s+/g, ' ');
    // 4: where to run each command (Render's shell runs the live, old build).
    expect(text).toContain('**a checkout of the commit being deployed**');
    expect(text).toContain('A Render Shell runs the build that is **live**');
    // 5: fix the cause before resolving, and how to find it.
    expect(text).toContain('**Fix the cause first**');
    expect(text).toMatch(
      /Find the cause first as in step 3 .* otherwise the retry fails the same way and leaves another `INVALID` index/,
    );
    // 8: a rollback turns auto-deploy off.
    expect(text).toContain('**A rollback turns auto-deploy off**');
    expect(text).toContain('turn it back on (Settings → Auto-Deploy → On commit)');
    // 10: who may end a global window; last resorts ordered by speed.
    expect(text).toContain(
      'a **global** window needs an L5 of the `PLATFORM_ADMIN_ORG_SLUG` org (when that variable is unset, nobody can: use the SQL below)',
    );
    expect(text.indexOf('1. **End the window in SQL**')).toBeLessThan(text.indexOf('2. **Turn the block off:**'));
    expect(text).toContain('cannot land while a failed migration is unresolved');
    // 13: the 401 check becomes 429 after five failures; --skip-predeploy needs --skip-build to be quick.
    expect(text).toContain('after which it answers **429**');
    expect(text).toContain('npm run deploy:local -- --skip-build --skip-predeploy');
    expect(text).toContain('`render.yaml` pins `NODE_VERSION` for Render');
  });

  it('shows the free-plan variant that `deploy:local --free-plan` rehearses', () => {
    const yamlBlock = /## Free-plan variant[\s\S]*?```yaml\n([\s\S]*?)```/.exec(RUNBOOK)?.[1];
    const shown = parse(yamlBlock ?? '') as { plan: string; startCommand: string; preDeployCommand?: string };
    const variant = freePlanVariant(webService(loadBlueprint(RENDER_YAML)));
    expect(shown).toEqual({ plan: variant.plan, startCommand: variant.startCommand });
    expect(variant.preDeployCommand).toBeUndefined();
  });
});
