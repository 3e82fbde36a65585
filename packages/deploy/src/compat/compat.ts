/**
 * The N-1 gate (`npm run deploy:compat -- --from <ref>`): the previous release, built as Render
 * builds it, serving on a database its own pre-deploy created and seeded and that HEAD's
 * pre-deploy then migrated — exactly what production looks like for the minutes of a deploy.
 * Its own black-box smoke (login, /auth/me, banner, flag write, maintenance create/end) must
 * pass. A migration the previous release cannot live with fails here, naming the request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../ports';
import { runtimeEnvironment } from '../node-runtime';
import {
  migrationsOf,
  prepareOldRelease,
  renderRuntime,
  runReleaseCommand,
  shortSha,
  startInstance,
  workingTreeRelease,
  type InstallMode,
  type Instance,
} from '../release/release';
import { migrateAndSeedOld, serviceEnvironment, startStage, waitHealthy, type Stage } from '../release/stage';
import { runShell } from '../render-build';

export const SMOKE_FILE = 'packages/deploy/src/smoke/smoke-cli.ts';
/** The smoke imports nothing beyond Node, so it compiles on its own, without the package's tsconfig. */
const SMOKE_COMPILE_FLAGS = '--module commonjs --target es2022 --types node --skipLibCheck --strict false';

export interface CompatOptions {
  root: string;
  /** The previous release (default HEAD~1). */
  from?: string;
  install: InstallMode;
  workdir?: string;
  /** HEAD's migrations from another folder (tests: a copy with one more migration). */
  migrationsDir?: string;
  log?: (line: string) => void;
}

export interface CompatResult {
  ok: boolean;
  oldSha: string;
  newMigrations: string[];
  /** The smoke's lines. */
  smoke: string[];
  /** What broke, in one sentence, when not ok. */
  failure?: string;
  closing: string;
}

export async function runCompat(options: CompatOptions): Promise<CompatResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const from = options.from ?? 'HEAD~1';
  log(`[deploy:compat] the previous release (${from}) against a database migrated by HEAD`);
  const newRelease = workingTreeRelease(options.root, 'as checked out');
  const runtime = renderRuntime(newRelease.service, log);
  const { release: old, cleanup } = await prepareOldRelease({
    root: options.root,
    ref: from,
    install: options.install,
    workdir: options.workdir,
    env: serviceEnvironment(newRelease.service, '', options.root, () => undefined),
    log,
  });
  let stage: Stage | undefined;
  let instance: Instance | undefined;
  const headMigrations = options.migrationsDir
    ? fs
        .readdirSync(options.migrationsDir)
        .filter((n) => fs.existsSync(path.join(options.migrationsDir!, n, 'migration.sql')))
        .sort()
    : migrationsOf(options.root);
  const oldMigrations = new Set(migrationsOf(old.dir));
  const newMigrations = headMigrations.filter((m) => !oldMigrations.has(m));
  const result: CompatResult = { ok: false, oldSha: old.sha, newMigrations, smoke: [], closing: '' };
  const fail = (failure: string) => {
    result.failure = failure;
    result.closing =
      `deploy:compat: FAILED — release ${shortSha(old.sha)} (${from}) cannot live with HEAD's schema: ${failure}\n` +
      `  HEAD's new migrations: ${newMigrations.join(', ') || 'none'}\n` +
      '  During a deploy the previous release serves on the new schema until the new instance is healthy (and for good after a rollback).\n' +
      '  Expand now, contract in a later release: docs/runbooks/expand-contract.md';
    return result;
  };
  try {
    stage = await startStage('compat');
    const env = serviceEnvironment(newRelease.service, stage.databaseUrl, options.root, log);
    await migrateAndSeedOld(old, runtime, env, log);
    log(
      `  HEAD: $ ${newRelease.service.preDeployCommand}   (${newMigrations.length} migration(s) the old release does not ship: ${newMigrations.join(', ') || 'none'})`,
    );
    let output = '';
    const headEnv = { ...env, ...(options.migrationsDir ? { CHEFCLOUD_MIGRATIONS_DIR: options.migrationsDir } : {}) };
    if (
      (await runReleaseCommand(
        newRelease,
        runtime,
        newRelease.service.preDeployCommand ?? 'false',
        headEnv,
        (c) => (output += c),
      )) !== 0
    )
      return fail(`HEAD's pre-deploy failed on the data the previous release wrote:\n${output.slice(-1500)}`);

    instance = await startInstance('old release', old, runtime, env, await freePort());
    const healthPath = old.service.healthCheckPath ?? '/';
    const health = await waitHealthy(instance.url, healthPath, 30_000);
    if (!health.ok) return fail(`its health check GET ${healthPath} answered ${health.status} ${health.body}`);
    log(`  old release ready on HEAD's schema: GET ${healthPath} → ${health.status}`);

    // The old release's own smoke when it has one; HEAD's otherwise (older releases predate it).
    const smokeDir = fs.existsSync(path.join(old.dir, SMOKE_FILE)) ? old.dir : options.root;
    if (!fs.existsSync(path.join(smokeDir, SMOKE_FILE))) throw new Error(`no ${SMOKE_FILE} to run`);
    log(
      `  smoke: ${smokeDir === old.dir ? 'the old release’s own' : 'HEAD’s (the old release has none)'} ${SMOKE_FILE}`,
    );
    let smokeOut = '';
    const collect = (c: string) => {
      smokeOut += c;
    };
    // Compiled with that checkout's own TypeScript (a devDependency, so present after any
    // build): no tsx or other runner that the lockfile may not carry.
    const smokeBuild = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-smoke-'));
    let code: number;
    try {
      code = await runShell(
        `npx --no-install tsc ${SMOKE_COMPILE_FLAGS} --rootDir ${path.dirname(SMOKE_FILE)} --outDir ${smokeBuild} ${SMOKE_FILE}` +
          ` && node ${path.join(smokeBuild, path.basename(SMOKE_FILE, '.ts'))}.js ${instance.url}`,
        smokeDir,
        runtimeEnvironment(runtime, process.env),
        collect,
      );
    } finally {
      fs.rmSync(smokeBuild, { recursive: true, force: true });
    }
    result.smoke = smokeOut.split('\n').filter((l) => l.startsWith('[smoke]'));
    for (const line of result.smoke) log(`  ${line}`);
    if (code !== 0) {
      const broke = result.smoke.find((l) => l.includes('FAIL')) ?? smokeOut.slice(-500);
      return fail(`${broke.replace(/^\[smoke\] FAIL /, '')}`);
    }
    result.ok = true;
    result.closing = `deploy:compat: release ${shortSha(old.sha)} (${from}) works on HEAD's schema (${newMigrations.length} newer migration(s)${newMigrations.length ? `: ${newMigrations.join(', ')}` : ''}); smoke ${result.smoke.length}/${result.smoke.length} passed`;
    return result;
  } catch (error) {
    result.failure = error instanceof Error ? error.message : String(error);
    result.closing = `deploy:compat: ERROR — the gate could not run: ${result.failure}`;
    return result;
  } finally {
    if (instance) await instance.stop(30_000);
    if (stage) await stage.stop();
    cleanup();
  }
}
