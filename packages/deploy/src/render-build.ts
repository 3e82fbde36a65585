/**
 * The build phase as Render runs it: the blueprint's `buildCommand` in the release's directory,
 * with Render's Node (`NODE_VERSION`) and the npm it bundles first on PATH. Shared by
 * `npm run deploy:local`, `npm run deploy:rehearse` and `npm run deploy:compat`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import {
  blueprintNodeVersion,
  describeInstallScripts,
  ensureNodeRuntime,
  installScriptsRan,
  runtimeEnvironment,
  type InstallScriptRun,
  type NodeRuntime,
} from './node-runtime';
import type { BlueprintService } from './render-blueprint';

export interface RenderBuildOptions {
  /** Directory of the release (where render.yaml's commands run). */
  cwd: string;
  service: BlueprintService;
  /** The blueprint environment for the build (blueprintEnvironment without a database). */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Every chunk of the command's output. */
  onOutput?: (chunk: string) => void;
  /** Receives the running child (to stop it on Ctrl-C), then undefined. */
  track?: (child: ChildProcess | undefined) => void;
}

export interface RenderBuildResult {
  runtime: NodeRuntime;
  code: number;
  installScripts: InstallScriptRun[];
  /** One line for a phase report: runtime and the install scripts that ran. */
  summary: string;
}

function shell(): string {
  return fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

/** Run `command` in a shell; resolves with its exit code. */
export function runShell(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  onOutput: (chunk: string) => void,
  track: (child: ChildProcess | undefined) => void = () => undefined,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(shell(), ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    child.stdout.on('data', (c: Buffer) => onOutput(c.toString()));
    child.stderr.on('data', (c: Buffer) => onOutput(c.toString()));
    child.on('error', () => resolve(127));
    child.on('close', (code) => {
      track(undefined);
      resolve(code ?? 1);
    });
  });
}

/** Render's build: buildCommand under Render's Node and npm, naming the install scripts that ran. */
export async function renderBuild(options: RenderBuildOptions): Promise<RenderBuildResult> {
  const { service, log } = options;
  if (!service.buildCommand) throw new Error('render.yaml has no buildCommand');
  const runtime = ensureNodeRuntime(blueprintNodeVersion(service), log);
  log(`  Render's runtime: Node ${runtime.nodeVersion} with its bundled npm ${runtime.npmVersion}`);
  log(`  $ ${service.buildCommand}`);
  let output = '';
  const code = await runShell(
    service.buildCommand,
    options.cwd,
    runtimeEnvironment(runtime, options.env),
    (chunk) => {
      output += chunk;
      options.onOutput?.(chunk);
    },
    options.track,
  );
  const installScripts = installScriptsRan(output);
  const failedScripts = installScripts.filter((s) => s.code !== undefined && s.code !== 0);
  const summary = `Node ${runtime.nodeVersion}, npm ${runtime.npmVersion}; ${describeInstallScripts(installScripts)}`;
  log(`  ${summary}`);
  if (failedScripts.length) log(`  failed install scripts: ${failedScripts.map((s) => s.package).join(', ')}`);
  return { runtime, code, installScripts, summary };
}
