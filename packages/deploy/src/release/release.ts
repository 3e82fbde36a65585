/**
 * Releases for the deploy rehearsal and the N-1 gate: the *old* release is a git ref checked out
 * in a git worktree (in a temp folder, removed afterwards) and built as Render builds it; the
 * *new* release is the working tree. Instances run with Render's Node.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureNodeRuntime, blueprintNodeVersion, runtimeEnvironment, type NodeRuntime } from '../node-runtime';
import { loadBlueprint, webService, type BlueprintService } from '../render-blueprint';
import { renderBuild, runShell } from '../render-build';

export type InstallMode = 'ci' | 'reuse';

export interface Release {
  /** What the user asked for (a ref, or "working tree"). */
  ref: string;
  sha: string;
  dir: string;
  service: BlueprintService;
  /** How it was built, for the report. */
  build: string;
}

function git(root: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout.trim();
}

export function resolveCommit(root: string, ref: string): string {
  return git(root, ['rev-parse', '--verify', `${ref}^{commit}`]);
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

const MIGRATIONS = 'packages/db/prisma/migrations';

/** The migrations (folder names, sorted) of a commit's tree. */
export function migrationsAtCommit(root: string, commit: string): string[] {
  return git(root, ['ls-tree', '-r', '--name-only', commit, '--', `${MIGRATIONS}/`])
    .split('\n')
    .filter((file) => /\/migration\.sql$/.test(file))
    .map((file) => path.basename(path.dirname(file)))
    .sort();
}

/**
 * The rehearsal's default old release: the release *before* the newest migration, so that the
 * new release's pre-deploy step applies it while the old release serves. That is the newest
 * commit on HEAD's first-parent line (the releases main actually had: a merged side branch's
 * commits never served) whose migrations are a strict subset of HEAD's. A side branch's commit
 * can carry a migration later renamed at its merge: the database HEAD migrates would then hold
 * a migration HEAD does not know, so such a commit is never chosen.
 */
export function defaultOldRef(root: string): string {
  const head = new Set(migrationsAtCommit(root, 'HEAD'));
  const changed = git(root, ['log', '--first-parent', '--format=%H', 'HEAD', '--', MIGRATIONS])
    .split('\n')
    .filter(Boolean);
  for (const sha of changed) {
    const rev = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${sha}^`], { cwd: root, encoding: 'utf8' });
    if (rev.status !== 0) continue; // the root commit
    const parent = rev.stdout.trim();
    const before = migrationsAtCommit(root, parent);
    if (before.length < head.size && before.every((name) => head.has(name))) return parent;
  }
  throw new Error(`no commit on HEAD's first-parent line has fewer migrations than HEAD: pass --from <ref>`);
}

/** Migrations a release ships (folder names, sorted). */
export function migrationsOf(dir: string): string[] {
  const base = path.join(dir, 'packages', 'db', 'prisma', 'migrations');
  if (!fs.existsSync(base)) return [];
  return fs
    .readdirSync(base)
    .filter((name) => fs.existsSync(path.join(base, name, 'migration.sql')))
    .sort();
}

export function workingTreeRelease(root: string, build: string): Release {
  return {
    ref: 'working tree',
    sha: git(root, ['rev-parse', 'HEAD']),
    dir: root,
    service: webService(loadBlueprint(path.join(root, 'render.yaml'))),
    build,
  };
}

export function renderRuntime(service: BlueprintService, log: (line: string) => void): NodeRuntime {
  return ensureNodeRuntime(blueprintNodeVersion(service), log);
}

const MARKER = '.chefcloud-release.json';

/** Every node_modules folder of the monorepo at `root` (the root's and the workspaces'). */
function nodeModulesDirs(root: string): string[] {
  const found = ['node_modules'];
  for (const group of ['packages', 'services']) {
    const base = path.join(root, group);
    if (!fs.existsSync(base)) continue;
    for (const entry of fs.readdirSync(base)) {
      const rel = path.join(group, entry, 'node_modules');
      if (fs.existsSync(path.join(root, rel))) found.push(rel);
    }
  }
  return found.filter((rel) => fs.existsSync(path.join(root, rel)));
}

export interface PrepareOldReleaseOptions {
  root: string;
  ref: string;
  /**
   * Build here and keep it (a later run with the same folder and commit reuses it); default: a
   * temp folder removed by cleanup().
   */
  workdir?: string;
  /**
   * `ci`: render.yaml's buildCommand as is (npm ci under Render's Node). `reuse`: when the old
   * release's package-lock.json is the working tree's, its node_modules are hard-linked instead
   * of reinstalled and the rest of buildCommand runs (falls back to `ci` when the lockfiles
   * differ).
   */
  install: InstallMode;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  onOutput?: (chunk: string) => void;
}

/** Remove a git worktree made in the temp folder `base`, the folder, and git's record of it. */
export function removeWorktree(root: string, dir: string, base: string): void {
  spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root });
  fs.rmSync(base, { recursive: true, force: true });
  spawnSync('git', ['worktree', 'prune'], { cwd: root });
}

/** A detached git worktree of `ref` in a new temp folder (`prefix`…), and how to remove both. */
export function temporaryWorktree(root: string, ref: string, prefix: string): { dir: string; remove(): void } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dir = path.join(base, 'checkout');
  try {
    git(root, ['worktree', 'add', '--detach', dir, ref]);
  } catch (error) {
    fs.rmSync(base, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => removeWorktree(root, dir, base) };
}

/** Check out `ref` in a git worktree and build it as Render would. */
export async function prepareOldRelease(
  options: PrepareOldReleaseOptions,
): Promise<{ release: Release; cleanup: () => void }> {
  const { root, log } = options;
  const sha = resolveCommit(root, options.ref);
  const base = options.workdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-old-release-'));
  fs.mkdirSync(base, { recursive: true });
  const dir = path.join(base, 'release');
  const cleanup = () => {
    if (!options.workdir) removeWorktree(root, dir, base);
  };
  try {
    const markerFile = path.join(base, MARKER);
    if (fs.existsSync(markerFile)) {
      const built = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as { sha: string; build: string };
      if (built.sha === sha && fs.existsSync(dir)) {
        log(`  old release ${shortSha(sha)}: reusing its build in ${dir}`);
        return {
          release: {
            ref: options.ref,
            sha,
            dir,
            service: webService(loadBlueprint(path.join(dir, 'render.yaml'))),
            build: built.build,
          },
          cleanup,
        };
      }
      spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root });
      fs.rmSync(markerFile, { force: true });
    }
    log(
      `  old release ${options.ref} = ${shortSha(sha)} (${git(root, ['log', '-1', '--format=%s', sha]).slice(0, 80)})`,
    );
    log(`  $ git worktree add --detach ${dir} ${shortSha(sha)}`);
    git(root, ['worktree', 'add', '--detach', dir, sha]);
    const service = webService(loadBlueprint(path.join(dir, 'render.yaml')));
    let install = options.install;
    const sameLock =
      fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8') ===
      fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8');
    if (install === 'reuse' && !sameLock) {
      log('  its package-lock.json differs from the working tree’s: installing with npm ci');
      install = 'ci';
    }
    let summary: string;
    if (install === 'reuse') {
      const dirs = nodeModulesDirs(root);
      log(`  same package-lock.json: hard-linking ${dirs.join(', ')} instead of npm ci`);
      for (const rel of dirs) {
        const copy = spawnSync('cp', ['-al', path.join(root, rel), path.join(dir, rel)]);
        if (copy.status !== 0) throw new Error(`cp -al ${rel} failed: ${copy.stderr.toString()}`);
      }
      const rest = (service.buildCommand ?? '')
        .split('&&')
        .map((part) => part.trim())
        .filter((part) => !/^npm (ci|install)\b/.test(part))
        .join(' && ');
      const runtime = renderRuntime(service, log);
      log(`  $ ${rest}   (Node ${runtime.nodeVersion}, npm ${runtime.npmVersion})`);
      const code = await runShell(
        rest,
        dir,
        runtimeEnvironment(runtime, options.env),
        options.onOutput ?? (() => undefined),
      );
      if (code !== 0) throw new Error(`the old release's build (${rest}) exited with ${code}`);
      summary = `node_modules hard-linked (same package-lock.json), then ${rest} with Node ${runtime.nodeVersion}`;
    } else {
      const build = await renderBuild({ cwd: dir, service, env: options.env, log, onOutput: options.onOutput });
      if (build.code !== 0) throw new Error(`the old release's buildCommand exited with ${build.code}`);
      summary = `${service.buildCommand} — ${build.summary}`;
    }
    fs.writeFileSync(markerFile, JSON.stringify({ sha, build: summary }));
    return { release: { ref: options.ref, sha, dir, service, build: summary }, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

export interface Instance {
  name: string;
  port: number;
  url: string;
  process: ChildProcess;
  output: string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (or 'killed'). */
  stop(graceMs: number): Promise<number | 'killed' | null>;
}

/** Start a release's startCommand on `port` with Render's Node; resolves once it listens. */
export async function startInstance(
  name: string,
  release: Release,
  runtime: NodeRuntime,
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<Instance> {
  if (!release.service.startCommand) throw new Error(`${name}: render.yaml has no startCommand`);
  const child = spawn('/bin/sh', ['-c', `exec ${release.service.startCommand}`], {
    cwd: release.dir,
    env: { ...runtimeEnvironment(runtime, env), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (c: Buffer) => {
    output.push(...c.toString().split('\n').filter(Boolean));
    if (output.length > 300) output.splice(0, output.length - 300);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const instance: Instance = {
    name,
    port,
    url,
    process: child,
    output,
    stop: async (graceMs) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const result = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs)),
      ]);
      if (result !== 'timeout') return result;
      child.kill('SIGKILL');
      await exited;
      return 'killed';
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode} while starting:\n${output.slice(-10).join('\n')}`);
    try {
      await fetch(`${url}/api/health/live`, { signal: AbortSignal.timeout(1_000) });
      return instance;
    } catch {
      if (Date.now() > deadline) {
        await instance.stop(5_000);
        throw new Error(`${name} did not listen within 60 s`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Run a command of a release (pre-deploy, seed) in its folder with Render's Node. */
export async function runReleaseCommand(
  release: Release,
  runtime: NodeRuntime,
  command: string,
  env: NodeJS.ProcessEnv,
  onOutput: (chunk: string) => void,
): Promise<number> {
  const runEnv = runtimeEnvironment(runtime, env);
  delete runEnv.npm_config_loglevel;
  return runShell(command, release.dir, runEnv, onOutput);
}
