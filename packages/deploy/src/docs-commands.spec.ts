import fs from 'node:fs';
import path from 'node:path';
import { resolveNpmCommand } from './npm-scripts';
import { REPO_ROOT } from './repo';

// Every `npm run <script>` the README and the runbooks tell an operator to type must exist.
const DOCS = ['README.md', ...fs.readdirSync(path.join(REPO_ROOT, 'docs/runbooks')).map((f) => `docs/runbooks/${f}`)];

describe('commands in the docs', () => {
  for (const doc of DOCS) {
    const text = fs.readFileSync(path.join(REPO_ROOT, doc), 'utf8');
    const commands = [
      ...new Set(
        [...text.matchAll(/npm run ([\w:.-]+)(\s+(?:-w|--workspace)\s+\S+)?/g)].map(
          (m) => `npm run ${m[1]}${m[2] ?? ''}`,
        ),
      ),
    ];
    it(`${doc}: every npm script it names exists (${commands.length})`, () => {
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) expect(() => resolveNpmCommand(command, REPO_ROOT)).not.toThrow();
    });
  }
});
