import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './npm-run';

/**
 * turbo runs `npm test` in strict environment mode: a variable that turbo.json does not list
 * never reaches the tests. Every variable the harness or testcontainers (and the Docker client
 * under it) reads must therefore be listed for the `test` task, or testcontainers silently
 * loses TESTCONTAINERS_RYUK_DISABLED, DOCKER_HOST, ... The list is read from their sources,
 * not kept by hand.
 */
interface TurboTask {
  env?: string[];
  passThroughEnv?: string[];
}
const turbo = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'turbo.json'), 'utf8')) as {
  globalEnv?: string[];
  tasks: Record<string, TurboTask>;
};
const listed = [
  ...(turbo.globalEnv ?? []),
  ...(turbo.tasks.test.env ?? []),
  ...(turbo.tasks.test.passThroughEnv ?? []),
];
const passes = (name: string) =>
  listed.some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern));

/** Names read as process.env.X, env.X or env["X"] in the .js/.ts files under `dir`. */
function envReads(dir: string, ext: RegExp): Set<string> {
  const names = new Set<string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (ext.test(entry.name) && !/\.(spec|test)\.[jt]s$/.test(entry.name))
        for (const m of fs
          .readFileSync(full, 'utf8')
          .matchAll(/\b(?:process\.env|env)(?:\.([A-Z][A-Z0-9_]+)|\[["']([A-Z][A-Z0-9_]+)["']\])/g))
          names.add(m[1] ?? m[2]);
    }
  };
  walk(dir);
  return names;
}

const resolvePackageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

describe('turbo.json passes the test harness its environment', () => {
  it('lists every variable the harness (src/testing) reads', () => {
    const names = [...envReads(__dirname, /\.ts$/)].filter((n) => !n.startsWith('CHEFCLOUD_TEST_'));
    expect(names).toEqual(
      expect.arrayContaining(['TEST_DATABASE_URL', 'TEST_DATABASE_PROVIDER', 'TEST_POSTGRES_IMAGE']),
    );
    expect(names.filter((n) => !passes(n))).toEqual([]);
  });

  it('lists every variable testcontainers and its Docker client read', () => {
    const names = new Set<string>();
    for (const pkg of ['testcontainers', '@testcontainers/postgresql'])
      for (const n of envReads(resolvePackageDir(pkg), /\.js$/)) names.add(n);
    const tc = path.dirname(require.resolve('testcontainers/package.json'));
    for (const pkg of ['docker-modem', 'dockerode'])
      for (const n of envReads(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [tc] })), /\.js$/))
        names.add(n);
    expect([...names]).toEqual(
      expect.arrayContaining(['DOCKER_HOST', 'TESTCONTAINERS_RYUK_DISABLED', 'TESTCONTAINERS_HOST_OVERRIDE']),
    );
    expect([...names].filter((n) => !passes(n)).sort()).toEqual([]);
  });
});
