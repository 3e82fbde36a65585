import fs from 'node:fs';
import path from 'node:path';

/** One step of a command's expansion through npm scripts. */
export interface ResolvedStep {
  /** Directory the command runs in. */
  cwd: string;
  command: string;
  /** The package.json script that produced this step (undefined for the original command). */
  script?: string;
}

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  workspaces?: string[];
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Directory of the workspace named `name` (or given as a path) under the monorepo at `root`. */
function workspaceDir(root: string, nameOrPath: string): string {
  const direct = path.resolve(root, nameOrPath);
  if (fs.existsSync(path.join(direct, 'package.json'))) return direct;
  for (const pattern of readPackage(root).workspaces ?? []) {
    const base = path.resolve(root, pattern.replace(/\/\*$/, ''));
    if (!fs.existsSync(base)) continue;
    for (const entry of fs.readdirSync(base)) {
      const dir = path.join(base, entry);
      if (fs.existsSync(path.join(dir, 'package.json')) && readPackage(dir).name === nameOrPath) return dir;
    }
  }
  throw new Error(`no workspace ${nameOrPath} under ${root}`);
}

const NPM_RUN =
  /^npm\s+(?:run(?:-script)?)\s+(?:--silent\s+)?([\w:.-]+)((?:\s+(?:-w|--workspace)(?:=|\s+)\S+)*)(?:\s+--\s+(.*))?$/;

/**
 * Expand a shell command through npm scripts, the way `npm run` would: each `&&`-separated part
 * that is `npm run <script> [-w <workspace>] [-- args]` is replaced by that script's command (in
 * the workspace's directory), recursively. Returns every step, outermost first, so a test can
 * assert what a Render command finally runs.
 */
export function resolveNpmCommand(command: string, root: string, cwd: string = root, script?: string): ResolvedStep[] {
  const steps: ResolvedStep[] = [{ cwd, command, script }];
  for (const part of command.split('&&').map((p) => p.trim())) {
    const m = NPM_RUN.exec(part);
    if (!m) continue;
    const [, name, workspaceFlags, extraArgs] = m;
    const workspace = /(?:-w|--workspace)(?:=|\s+)(\S+)/.exec(workspaceFlags ?? '')?.[1];
    const dir = workspace ? workspaceDir(root, workspace) : cwd;
    const body = readPackage(dir).scripts?.[name];
    if (body === undefined)
      throw new Error(
        `npm script "${name}" is not defined in ${path.relative(root, path.join(dir, 'package.json')) || 'package.json'}`,
      );
    steps.push(
      ...resolveNpmCommand(
        extraArgs ? `${body} ${extraArgs}` : body,
        root,
        dir,
        `${readPackage(dir).name ?? dir}#${name}`,
      ),
    );
  }
  return steps;
}

/** The innermost commands a command finally runs (steps that are not themselves `npm run`). */
export function leafCommands(steps: ResolvedStep[]): ResolvedStep[] {
  return steps.flatMap((step) =>
    step.command
      .split('&&')
      .map((p) => p.trim())
      .filter((p) => !NPM_RUN.test(p))
      .map((p) => ({ ...step, command: p })),
  );
}
