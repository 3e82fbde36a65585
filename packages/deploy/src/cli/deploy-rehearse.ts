#!/usr/bin/env node
/**
 * npm run deploy:rehearse [-- options]: Render's zero-downtime deploy under load, through HAProxy.
 *
 *   (no variant flag)       the default variant: the deploy must succeed with zero failed requests
 *   --skip-predeploy        the seed's mistake: the new instance never turns healthy, the deploy fails
 *   --break                 a failing pre-deploy: the deploy is cancelled
 *   --all                   the three variants in a row (the releases are built once)
 *   --from <ref>            the old release (default: the newest commit on HEAD's first-parent line
 *                           whose migrations are a strict subset of HEAD's, so the pre-deploy
 *                           applies the newest migration(s))
 *   --skip-build            do not build the new release (the working tree as built)
 *   --install ci|reuse      the old release's install: `ci` (default) runs render.yaml's buildCommand;
 *                           `reuse` hard-links the working tree's node_modules when package-lock.json
 *                           is the same
 *   --workdir <dir>         build the old release there and keep it (a later run reuses it)
 *   --short                 short phases (CI): 4 s old only, 4 s both, 4 s at the end; 15 s health wait
 *   --health-timeout <sec>  how long the new instance may take to turn healthy (default 60; short 15)
 *   --migrations-dir <dir>  the new release's migrations from this folder (tests)
 *   --report-dir <dir>      where <variant>.json goes (default .deploy-rehearsal/)
 *
 * Ends with one line per variant: `rehearsal <variant>: <N> requests, <F> failed, deploy <…>`.
 * Exit 0 when every variant had no 5xx or connection error and the expected outcome; 1
 * otherwise; 2 on bad usage.
 */
import path from 'node:path';
import { webService, loadBlueprint } from '../render-blueprint';
import { renderBuild } from '../render-build';
import { blueprintEnvironment } from '../deploy-local';
import { defaultOldRef, prepareOldRelease, renderRuntime, workingTreeRelease } from '../release/release';
import {
  FULL_TIMINGS,
  rehearsalPassed,
  rehearseVariant,
  SHORT_TIMINGS,
  VARIANTS,
  type Variant,
} from '../rehearse/rehearse';
import { REPO_ROOT } from '../repo';
import { parseArgs } from './args';

const log = (line: string) => process.stdout.write(`${line}\n`);

function options() {
  const args = parseArgs(process.argv.slice(2), {
    flags: ['--skip-predeploy', '--break', '--all', '--skip-build', '--short'],
    values: ['--from', '--install', '--workdir', '--health-timeout', '--migrations-dir', '--report-dir'],
  });
  const value = (name: string) => args.values.get(name)?.[0];
  const install = value('--install') ?? 'ci';
  if (install !== 'ci' && install !== 'reuse') throw new Error('--install takes ci or reuse');
  const variants: Variant[] = args.flags.has('--all')
    ? VARIANTS
    : [
        ...(args.flags.has('--skip-predeploy') ? (['skip-predeploy'] as const) : []),
        ...(args.flags.has('--break') ? (['break'] as const) : []),
      ];
  const timings = { ...(args.flags.has('--short') ? SHORT_TIMINGS : FULL_TIMINGS) };
  if (value('--health-timeout')) {
    timings.healthTimeoutMs = Number(value('--health-timeout')) * 1000;
    if (!Number.isFinite(timings.healthTimeoutMs) || timings.healthTimeoutMs <= 0)
      throw new Error('--health-timeout needs seconds');
  }
  const resolve = (name: string) => (value(name) ? path.resolve(value(name)!) : undefined);
  return {
    variants: variants.length ? variants : (['default'] as Variant[]),
    from: value('--from'),
    install: install as 'ci' | 'reuse',
    workdir: resolve('--workdir'),
    migrationsDir: resolve('--migrations-dir'),
    reportDir: resolve('--report-dir'),
    skipBuild: args.flags.has('--skip-build'),
    timings,
  };
}

async function main(o: ReturnType<typeof options>): Promise<number> {
  const root = REPO_ROOT;
  const service = webService(loadBlueprint(path.join(root, 'render.yaml')));
  const buildEnv = blueprintEnvironment(service, '', 0, process.env, () => undefined, root);
  const from = o.from ?? defaultOldRef(root);
  log(`[deploy:rehearse] Render's zero-downtime deploy, rehearsed under load: ${o.variants.join(', ')}`);
  const runtime = renderRuntime(service, log);
  let newBuild = 'as built (--skip-build)';
  if (!o.skipBuild) {
    log('[deploy:rehearse] ▶ new release: build (the working tree)');
    const started = Date.now();
    const build = await renderBuild({ cwd: root, service, env: buildEnv, log });
    if (build.code !== 0) {
      log(
        `[deploy:rehearse] ✗ the new release's buildCommand exited with ${build.code}: Render stops here, nothing was deployed`,
      );
      return 1;
    }
    newBuild = `${service.buildCommand} — ${build.summary}`;
    log(`[deploy:rehearse] ✓ new release: build (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  log('[deploy:rehearse] ▶ old release: build (a git worktree)');
  const started = Date.now();
  const { release: old, cleanup } = await prepareOldRelease({
    root,
    ref: from,
    install: o.install,
    workdir: o.workdir,
    env: buildEnv,
    log,
  });
  log(`[deploy:rehearse] ✓ old release: build (${((Date.now() - started) / 1000).toFixed(1)} s) — ${old.build}`);
  const closing: string[] = [];
  let ok = true;
  try {
    for (const variant of o.variants) {
      const report = await rehearseVariant({
        root,
        variant,
        old,
        next: workingTreeRelease(root, newBuild),
        runtime,
        timings: o.timings,
        migrationsDir: o.migrationsDir,
        reportDir: o.reportDir,
        log,
      });
      closing.push(report.closing);
      if (!rehearsalPassed(report)) ok = false;
    }
  } finally {
    cleanup();
  }
  for (const line of closing) log(line);
  return ok ? 0 : 1;
}

let parsed: ReturnType<typeof options>;
try {
  parsed = options();
} catch (error) {
  process.stderr.write(`deploy:rehearse: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
main(parsed).then(
  (c) => process.exit(c),
  (error: unknown) => {
    process.stderr.write(
      `deploy:rehearse: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
