import path from 'node:path';
import {
  blueprintNodeVersion,
  bundledNpmVersion,
  describeInstallScripts,
  installScriptsRan,
  runtimeCacheDir,
  runtimeEnvironment,
} from './node-runtime';
import { loadBlueprint, webService } from './render-blueprint';
import { RENDER_YAML } from './repo';

describe("Render's Node runtime", () => {
  it('reads the exact NODE_VERSION of render.yaml', () => {
    expect(blueprintNodeVersion(webService(loadBlueprint(RENDER_YAML)))).toBe('22.22.0');
    expect(() =>
      blueprintNodeVersion({ type: 'web', name: 's', envVars: [{ key: 'NODE_VERSION', value: '22' }] }),
    ).toThrow('not an exact version');
    expect(() => blueprintNodeVersion({ type: 'web', name: 's' })).toThrow('has no NODE_VERSION');
  });

  it("finds the bundled npm in the Node package's CHANGELOG (the newest upgrade entry)", () => {
    const changelog = [
      '## 2026-01-13, Version 22.22.0',
      '* [`7e0e86cb92`] - **deps**: upgrade npm to 10.9.4 (npm team) [#60074]',
      '## Version 22.21.0',
      '* [`f99aa748c0`] - **deps**: upgrade npm to 10.9.3 (npm team) [#58847]',
    ].join('\n');
    expect(bundledNpmVersion(changelog)).toBe('10.9.4');
    expect(() => bundledNpmVersion('nothing here')).toThrow('names no bundled npm version');
  });

  it('caches per version under XDG_CACHE_HOME, outside the repository', () => {
    expect(runtimeCacheDir('22.22.0', { XDG_CACHE_HOME: '/c' })).toBe(
      path.join('/c', 'chefcloud', 'render-node', '22.22.0'),
    );
  });

  it("puts the runtime first on PATH and drops the calling npm's npm_* variables", () => {
    const env = runtimeEnvironment(
      { binDir: '/rt/bin', nodeVersion: '22.22.0', npmVersion: '10.9.4' },
      { PATH: '/usr/bin', npm_config_user_agent: 'npm/11.19.1', npm_execpath: '/x/npm-cli.js', HOME: '/root' },
    );
    expect(env.PATH).toBe(`/rt/bin${path.delimiter}/usr/bin`);
    expect(env.npm_config_user_agent).toBeUndefined();
    expect(env.npm_execpath).toBeUndefined();
    expect(env.npm_config_loglevel).toBe('info');
    expect(env.HOME).toBe('/root');
  });

  it('lists the dependency install scripts npm ran, with their exit codes', () => {
    const output = [
      'npm info using npm@10.9.4',
      'npm info run bcrypt@6.0.0 install node_modules/bcrypt node-gyp-build',
      'npm info run bcrypt@6.0.0 install { code: 0, signal: null }',
      'npm info run @prisma/engines@7.10.0 postinstall node_modules/@prisma/engines node scripts/postinstall.js',
      'npm info run @prisma/engines@7.10.0 postinstall { code: 1, signal: null }',
      'npm info run @chefcloud/db@0.1.0 db:generate packages/db node scripts/prisma.mjs generate',
    ].join('\n');
    const runs = installScriptsRan(output);
    expect(runs).toEqual([
      { package: 'bcrypt@6.0.0', event: 'install', command: 'node-gyp-build', code: 0 },
      { package: '@prisma/engines@7.10.0', event: 'postinstall', command: 'node scripts/postinstall.js', code: 1 },
    ]);
    expect(describeInstallScripts(runs)).toBe(
      '2 dependency install script(s) ran: bcrypt@6.0.0 install → 0, @prisma/engines@7.10.0 postinstall → 1',
    );
    expect(describeInstallScripts([])).toBe('no dependency install scripts ran');
  });
});
