import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PINNED_VERSIONS, installedVersion, mismatchMessage, versionMismatches } from './pinned-versions.cjs';

const ENGINE_DIR = path.resolve(__dirname, '..');
const DB_PACKAGE = JSON.parse(fs.readFileSync(path.join(ENGINE_DIR, '..', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

describe('the offline engine’s pinned versions', () => {
  it('are exactly the versions packages/db/package.json pins, and what is installed', () => {
    for (const [name, version] of Object.entries(PINNED_VERSIONS)) {
      expect([name, DB_PACKAGE.dependencies[name]]).toEqual([name, version]);
      expect([name, installedVersion(name, ENGINE_DIR)]).toEqual([name, version]);
    }
  });

  it('names every package whose installed version differs', () => {
    const mismatches = versionMismatches((name) =>
      name === '@prisma/adapter-pg' ? '7.11.0' : PINNED_VERSIONS[name as keyof typeof PINNED_VERSIONS],
    );
    expect(mismatches).toEqual([{ name: '@prisma/adapter-pg', pinned: '7.10.0', installed: '7.11.0' }]);
    expect(mismatchMessage(mismatches)).toContain('@prisma/adapter-pg: installed 7.11.0, pinned 7.10.0');
  });

  it('the engine refuses to start against another engine version, saying what to do (exit 1)', () => {
    // A copy of the engine beside a node_modules whose @prisma/schema-engine-wasm is another release.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-engine-'));
    try {
      fs.cpSync(ENGINE_DIR, path.join(dir, 'engine'), { recursive: true, filter: (src) => !src.endsWith('.ts') });
      for (const [name, version] of Object.entries(PINNED_VERSIONS)) {
        fs.mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
        fs.writeFileSync(
          path.join(dir, 'node_modules', name, 'package.json'),
          JSON.stringify({ name, version: name === '@prisma/schema-engine-wasm' ? '7.11.0-1.abc' : version }),
        );
      }
      const result = spawnSync(process.execPath, [path.join(dir, 'engine', 'offline-schema-engine.cjs'), '--version'], {
        encoding: 'utf8',
      });
      expect(result.stderr).toContain('offline schema engine: refusing to run');
      expect(result.stderr).toContain(
        `@prisma/schema-engine-wasm: installed 7.11.0-1.abc, pinned ${PINNED_VERSIONS['@prisma/schema-engine-wasm']}`,
      );
      expect(result.stderr).toContain('packages/db/engine/lib/workarounds.cjs');
      expect(result.stdout).toBe('');
      expect(result.status).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the installed engine starts (the pinned versions are installed)', () => {
    const result = spawnSync(process.execPath, [path.join(ENGINE_DIR, 'offline-schema-engine.cjs'), '--version'], {
      encoding: 'utf8',
    });
    expect(result.stdout).toMatch(/^schema-engine-cli \w+ \(offline, WebAssembly\)/);
    expect(result.status).toBe(0);
  });
});
