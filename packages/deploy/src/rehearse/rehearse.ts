/**
 * `npm run deploy:rehearse`: Render's zero-downtime deploy of render.yaml, played on this machine
 * under constant load. HAProxy plays Render's router; the old release (a git ref built in a git
 * worktree) serves on a shared embedded PostgreSQL; the new release (the working tree) runs its
 * pre-deploy step on that database while the old one serves, starts, is put in rotation once its
 * health check passes, and the old one is taken out of rotation and gets SIGTERM. Every request
 * is counted per phase: old only → migrating → both → new only.
 *
 * Variants: `default` (must succeed with zero failed requests), `skip-predeploy` (the seed's
 * mistake: the new instance never turns healthy, the deploy fails after a bounded wait, the old
 * release keeps serving) and `break` (a failing pre-deploy: the deploy is cancelled).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NodeRuntime } from '../node-runtime';
import { freePort } from '../ports';
import { runReleaseCommand, shortSha, startInstance, type Instance, type Release } from '../release/release';
import { migrateAndSeedOld, serviceEnvironment, startStage, waitHealthy, type Stage } from '../release/stage';
import { Haproxy } from './haproxy';
import { MixedLoad, type RequestRecord } from './load';
import { closingLine, isFailure, phaseReports, phaseTable, type PhaseReport } from './report';

export type Variant = 'default' | 'skip-predeploy' | 'break';
export const VARIANTS: Variant[] = ['default', 'skip-predeploy', 'break'];

export interface Timings {
  /** Traffic on the old release alone before the deploy starts. */
  oldOnlyMs: number;
  /** Both instances in rotation before traffic moves. */
  bothMs: number;
  /** Traffic on the new release alone (or, after a failed deploy, on the old one) at the end. */
  afterMs: number;
  /** How long the new instance may take to pass its health check (Render: 15 min). */
  healthTimeoutMs: number;
}

export const FULL_TIMINGS: Timings = { oldOnlyMs: 10_000, bothMs: 8_000, afterMs: 10_000, healthTimeoutMs: 60_000 };
export const SHORT_TIMINGS: Timings = { oldOnlyMs: 4_000, bothMs: 4_000, afterMs: 4_000, healthTimeoutMs: 15_000 };

export interface RehearsalInput {
  root: string;
  variant: Variant;
  old: Release;
  next: Release;
  runtime: NodeRuntime;
  timings: Timings;
  /** The new release's migrations from another folder (tests: a copy with one more migration). */
  migrationsDir?: string;
  /** Where `<variant>.json` goes (default `<root>/.deploy-rehearsal`). */
  reportDir?: string;
  log: (line: string) => void;
}

export interface RehearsalReport {
  variant: Variant;
  old: { ref: string; commit: string; build: string };
  new: { ref: string; commit: string; build: string; migrationsDir?: string };
  proxy: string;
  expected: 'succeeded' | 'failed';
  outcome: 'succeeded' | 'failed';
  /** Why the deploy failed (when it did). */
  reason?: string;
  steps: { step: string; ms: number; detail?: string }[];
  phases: PhaseReport[];
  requests: number;
  failed: number;
  closing: string;
  startedAt: string;
  durationMs: number;
}

const FAILING_MIGRATION = '29991231235959_deploy_rehearsal_break';

/** The new release's migrations plus one that fails (for --break), in a temp folder. */
function breakingMigrations(from: string, into: string): string {
  fs.cpSync(from, into, { recursive: true });
  fs.mkdirSync(path.join(into, FAILING_MIGRATION));
  fs.writeFileSync(
    path.join(into, FAILING_MIGRATION, 'migration.sql'),
    '-- npm run deploy:rehearse -- --break: a pre-deploy step that fails halfway.\nCREATE TABLE "deploy_rehearsal_break" ("id" INTEGER);\nSELECT 1 / 0;\n',
  );
  return into;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function rehearseVariant(input: RehearsalInput): Promise<RehearsalReport> {
  const { root, variant, old, next, runtime, timings, log } = input;
  const started = Date.now();
  const expected = variant === 'default' ? 'succeeded' : 'failed';
  const steps: RehearsalReport['steps'] = [];
  const step = async <T>(name: string, run: () => Promise<T>, detail?: (value: T) => string): Promise<T> => {
    const t = Date.now();
    log(`[deploy:rehearse] ▶ ${name}`);
    const value = await run();
    const entry = { step: name, ms: Date.now() - t, ...(detail ? { detail: detail(value) } : {}) };
    steps.push(entry);
    log(`[deploy:rehearse] ✓ ${name} (${(entry.ms / 1000).toFixed(1)} s)${entry.detail ? ` — ${entry.detail}` : ''}`);
    return value;
  };
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-rehearse-'));
  let stage: Stage | undefined;
  let proxy: Haproxy | undefined;
  let oldInstance: Instance | undefined;
  let newInstance: Instance | undefined;
  let load: MixedLoad | undefined;
  let outcome: 'succeeded' | 'failed' = 'failed';
  let reason: string | undefined;
  const healthPath = next.service.healthCheckPath ?? '/';
  const shutdownMs = (old.service.maxShutdownDelaySeconds ?? 30) * 1000;
  try {
    log(
      `[deploy:rehearse] variant ${variant}: old release ${shortSha(old.sha)} (${old.ref}) → new release ${next.ref} (${shortSha(next.sha)})`,
    );
    stage = await step(
      'database',
      () => startStage('rehearse'),
      () => 'a throwaway embedded PostgreSQL 17 shared by both releases',
    );
    const env = serviceEnvironment(next.service, stage.databaseUrl, root, () => undefined);
    await step('old release: pre-deploy and demo seed', () => migrateAndSeedOld(old, runtime, env, log));
    const [oldPort, newPort, proxyPort] = [await freePort(), await freePort(), await freePort()];
    oldInstance = await step(
      'old release: start',
      () => startInstance('old release', old, runtime, env, oldPort),
      (i) => i.url,
    );
    const oldHealth = await waitHealthy(oldInstance.url, healthPath, 30_000);
    if (!oldHealth.ok) throw new Error(`the old release never turned healthy: ${oldHealth.status} ${oldHealth.body}`);
    proxy = new Haproxy({
      dir: temp,
      proxyPort,
      healthCheckPath: healthPath,
      servers: [
        { name: 'old', port: oldPort, enabled: true },
        { name: 'new', port: newPort, enabled: false },
      ],
    });
    const router = proxy;
    await step(
      'router (HAProxy)',
      async () => {
        await router.start();
        if (!(await router.waitFor('old', (s) => s.status === 'UP', 15_000)))
          throw new Error('HAProxy never saw the old release healthy');
      },
      () =>
        `${router.url} → old 127.0.0.1:${oldPort} (UP), new 127.0.0.1:${newPort} (not in rotation); checks GET ${healthPath}, 2xx/3xx within 5 s`,
    );

    load = new MixedLoad({ baseUrl: proxy.url, concurrency: 3, maxDurationMs: 10 * 60_000, maxRequests: 40_000 });
    await load.prepare();
    load.start();
    load.phase = 'old only';
    await sleep(timings.oldOnlyMs);

    // The deploy: pre-deploy on the shared database while the old release serves.
    load.phase = 'migrating';
    let migrationsDir = input.migrationsDir;
    if (variant === 'break')
      migrationsDir = breakingMigrations(
        migrationsDir ?? path.join(root, 'packages/db/prisma/migrations'),
        path.join(temp, 'migrations'),
      );
    const newEnv = { ...env, ...(migrationsDir ? { CHEFCLOUD_MIGRATIONS_DIR: migrationsDir } : {}) };
    if (variant === 'skip-predeploy') {
      log('[deploy:rehearse] – pre-deploy skipped (--skip-predeploy: the seed’s mistake)');
      steps.push({ step: 'new release: pre-deploy', ms: 0, detail: 'skipped' });
    } else {
      let output = '';
      const code = await step(
        'new release: pre-deploy',
        () => runReleaseCommand(next, runtime, next.service.preDeployCommand ?? 'false', newEnv, (c) => (output += c)),
        (c) => `$ ${next.service.preDeployCommand} → exit ${c}`,
      );
      if (code !== 0) {
        reason = `pre-deploy exited with ${code}: Render cancels the deploy; the old release keeps serving`;
        log(
          `[deploy:rehearse]   ${reason}\n${output
            .trim()
            .split('\n')
            .slice(-4)
            .map((l) => `    | ${l}`)
            .join('\n')}`,
        );
      }
    }
    if (!reason) {
      newInstance = await step(
        'new release: start',
        () => startInstance('new release', next, runtime, newEnv, newPort),
        (i) => i.url,
      );
      await router.addWhenHealthy('new');
      const healthy = await step(
        'new release: health check',
        () => router.waitFor('new', (s) => s.status === 'UP', timings.healthTimeoutMs),
        (ok) => (ok ? 'HAProxy put it in rotation' : `not healthy within ${timings.healthTimeoutMs / 1000} s`),
      );
      if (!healthy) {
        const last = await waitHealthy(newInstance.url, healthPath, 0);
        reason = `the new instance never passed GET ${healthPath} (last ${last.status} ${last.body}): the deploy fails, the old release keeps serving`;
        log(`[deploy:rehearse]   ${reason}`);
        await router.setState('new', 'maint');
      }
    }
    if (reason) {
      load.phase = 'old only';
      await sleep(timings.afterMs);
    } else {
      load.phase = 'both';
      await sleep(timings.bothMs);
      // Traffic moves to the new instance; then the old one gets SIGTERM and drains.
      load.phase = 'new only';
      const from = oldInstance;
      await step(
        'old release: out of rotation, SIGTERM, drain',
        async () => {
          await router.setState('old', 'drain');
          await router.setState('old', 'maint');
          await router.waitFor('old', (s) => s.current === 0, 10_000);
          const code = await from.stop(shutdownMs);
          if (code !== 0) throw new Error(`the old release exited with ${code} after SIGTERM`);
        },
        () => `exited 0 within maxShutdownDelaySeconds (${shutdownMs / 1000} s)`,
      );
      await sleep(timings.afterMs);
      outcome = 'succeeded';
    }
  } catch (error) {
    reason = `rehearsal error: ${error instanceof Error ? error.message : String(error)}`;
    log(`[deploy:rehearse] ✗ ${reason}`);
  } finally {
    await load?.stop();
    await newInstance?.stop(shutdownMs);
    await oldInstance?.stop(shutdownMs);
    await proxy?.stop();
    await stage?.stop();
    fs.rmSync(temp, { recursive: true, force: true });
  }
  const records: RequestRecord[] = load?.records ?? [];
  const phases = phaseReports(records);
  const closing = reason?.startsWith('rehearsal error')
    ? `rehearsal ${variant}: ${records.length} requests, ${records.filter(isFailure).length} failed, deploy could not be rehearsed (${reason})`
    : closingLine(variant, records, outcome, expected);
  const report: RehearsalReport = {
    variant,
    old: { ref: old.ref, commit: old.sha, build: old.build },
    new: {
      ref: next.ref,
      commit: next.sha,
      build: next.build,
      ...(input.migrationsDir ? { migrationsDir: input.migrationsDir } : {}),
    },
    proxy: 'HAProxy (Debian package) with Render’s health-check rule',
    expected,
    outcome,
    ...(reason ? { reason } : {}),
    steps,
    phases,
    requests: records.length,
    failed: records.filter(isFailure).length,
    closing,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
  const reportDir = input.reportDir ?? path.join(root, '.deploy-rehearsal');
  fs.mkdirSync(reportDir, { recursive: true });
  fs.writeFileSync(path.join(reportDir, `${variant}.json`), `${JSON.stringify(report, null, 2)}\n`);
  for (const line of phaseTable(phases)) log(line);
  log(
    `[deploy:rehearse] report: ${path.relative(process.cwd(), path.join(reportDir, `${variant}.json`)) || reportDir}`,
  );
  return report;
}

/** Passed: no failed request, and the deploy's outcome is the variant's. */
export function rehearsalPassed(report: RehearsalReport): boolean {
  return report.failed === 0 && report.outcome === report.expected && !report.reason?.startsWith('rehearsal error');
}
