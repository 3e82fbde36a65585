import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { freePlanVariant, loadBlueprint, webService, type BlueprintService } from './render-blueprint';
import { renderBuild } from './render-build';

export type PhaseName = 'build' | 'database' | 'pre-deploy' | 'start' | 'health-check' | 'shutdown';

export interface DeployLocalOptions {
  /** Repository root (where render.yaml and the commands run). */
  root: string;
  blueprintFile?: string;
  serviceName?: string;
  /** Use this database instead of a throwaway embedded PostgreSQL for `fromDatabase`. */
  databaseUrl?: string;
  skipBuild?: boolean;
  /** Simulate a forgotten pre-deploy step: start without running it (must fail the health gate). */
  skipPreDeploy?: boolean;
  /** After a passing health check, keep the service running until SIGINT/SIGTERM. */
  keepRunning?: boolean;
  /**
   * Rehearse the free-plan variant (docs/runbooks/deploy.md): no pre-deploy step, the start
   * command migrates first (see freePlanVariant).
   */
  freePlan?: boolean;
  healthTimeoutMs?: number;
  /** Prefix for output lines. */
  log?: (line: string) => void;
  /** Receives the service's own output (default: discarded after the last 200 lines are kept). */
  serviceOutput?: (chunk: string) => void;
}

export interface PhaseResult {
  name: PhaseName;
  ok: boolean;
  skipped?: boolean;
  ms: number;
  detail?: string;
}

export interface DeployLocalResult {
  ok: boolean;
  failedPhase?: PhaseName;
  phases: PhaseResult[];
  url?: string;
  /** The database the rehearsal deployed to (with the password, as DATABASE_URL is). */
  databaseUrl?: string;
  /** Last readiness answer seen by the health gate. */
  lastHealth?: { status: number; body: string };
  /** What POST /auth/login answered while the health gate was failing (never a 500). */
  loginProbe?: { status: number; body: string };
}

const RENDER_HEALTH_TIMEOUT_MS = 5_000;

/** Signal a child started with `detached: true` and everything it started (its process group). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function shell(): string {
  return fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

function runCommand(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  onOutput: (chunk: string) => void,
  track: (child: ChildProcess | undefined) => void,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(shell(), ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    child.on('close', () => track(undefined));
    child.stdout.on('data', (c: Buffer) => onOutput(c.toString()));
    child.stderr.on('data', (c: Buffer) => onOutput(c.toString()));
    child.on('error', () => resolve(127));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function httpGet(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

/**
 * The environment Render gives every phase, from the service's `envVars`: `value` as is,
 * `generateValue` → a random 256-bit base64 value, `fromDatabase` → the database URL, `sync:
 * false` → taken from this shell when set (Render asks for it in the Dashboard). Plus what
 * Render itself sets: PORT, RENDER, RENDER_SERVICE_NAME, RENDER_GIT_COMMIT.
 */
export function blueprintEnvironment(
  service: BlueprintService,
  databaseUrl: string,
  port: number,
  base: NodeJS.ProcessEnv,
  log: (line: string) => void,
  root: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const key of ['DATABASE_URL', 'JWT_SECRET', 'NODE_ENV', 'PORT']) delete env[key];
  for (const v of service.envVars ?? []) {
    if (v.value !== undefined) env[v.key] = String(v.value);
    else if (v.generateValue) env[v.key] = crypto.randomBytes(32).toString('base64');
    else if (v.fromDatabase) env[v.key] = databaseUrl;
    else if (v.sync === false) {
      if (base[v.key] !== undefined) env[v.key] = base[v.key];
      else log(`  env ${v.key}: not set (sync: false — set in the Render Dashboard)`);
    } else log(`  env ${v.key}: fromService/fromGroup are not rehearsed locally; left unset`);
  }
  const commit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return {
    ...env,
    PORT: String(port),
    RENDER: 'true',
    RENDER_SERVICE_NAME: service.name,
    ...(commit.status === 0 ? { RENDER_GIT_COMMIT: commit.stdout.trim() } : {}),
  };
}

/**
 * Run a Render web service's deploy lifecycle from render.yaml, in Render's order: build →
 * (database) → pre-deploy → start → health gate. Every phase is timed; the first failure ends
 * the run and is named. Never leaves a process or database behind.
 */
export async function deployLocal(options: DeployLocalOptions): Promise<DeployLocalResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const blueprintFile = options.blueprintFile ?? path.join(options.root, 'render.yaml');
  const blueprintService = webService(loadBlueprint(blueprintFile), options.serviceName);
  const service = options.freePlan ? freePlanVariant(blueprintService) : blueprintService;
  const phases: PhaseResult[] = [];
  const result: DeployLocalResult = { ok: false, phases };
  const tail: string[] = [];
  const output = (chunk: string) => {
    options.serviceOutput?.(chunk);
    tail.push(...chunk.split('\n').filter(Boolean));
    if (tail.length > 200) tail.splice(0, tail.length - 200);
  };
  let database: { stop(): Promise<void> } | undefined;
  let tempDir: string | undefined;
  let server: ChildProcess | undefined;
  // Ctrl-C / SIGTERM: stop the running command, then clean up like any other failure.
  let running: ChildProcess | undefined;
  let interrupted: NodeJS.Signals | undefined;
  let wakeKeepRunning: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    log(`[deploy:local] ${signal}: stopping`);
    running?.kill('SIGTERM');
    wakeKeepRunning?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const checkInterrupted = () => {
    if (interrupted) throw new Error(`interrupted by ${interrupted}`);
  };

  const phase = async (name: PhaseName, run: () => Promise<string | undefined>): Promise<boolean> => {
    const started = Date.now();
    log(`[deploy:local] ▶ ${name}`);
    try {
      const detail = await run();
      phases.push({ name, ok: true, ms: Date.now() - started, detail });
      log(`[deploy:local] ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)${detail ? ` — ${detail}` : ''}`);
      return true;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      phases.push({ name, ok: false, ms: Date.now() - started, detail });
      result.failedPhase ??= name;
      log(`[deploy:local] ✗ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s) — ${detail}`);
      if (tail.length)
        log(
          `[deploy:local]   last output:\n${tail
            .slice(-10)
            .map((l) => `    | ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`)
            .join('\n')}`,
        );
      return false;
    }
  };
  const skip = (name: PhaseName, why: string) => {
    phases.push({ name, ok: true, skipped: true, ms: 0, detail: why });
    log(`[deploy:local] – ${name} skipped (${why})`);
  };
  const command = async (name: string, cmd: string | undefined, env: NodeJS.ProcessEnv) => {
    if (!cmd) throw new Error(`render.yaml has no ${name}`);
    log(`[deploy:local]   $ ${cmd}`);
    tail.length = 0;
    const code = await runCommand(cmd, options.root, env, output, (child) => (running = child));
    checkInterrupted();
    if (code !== 0) throw new Error(`${name} exited with ${code}`);
    return undefined;
  };

  try {
    log(
      `[deploy:local] rehearsing Render's deploy of "${service.name}" from ${path.relative(process.cwd(), blueprintFile) || blueprintFile}${options.freePlan ? ' (free-plan variant: no pre-deploy, the start command migrates)' : ''}`,
    );
    log(
      `[deploy:local] node ${process.version} here; render.yaml pins NODE_VERSION ${service.envVars?.find((v) => v.key === 'NODE_VERSION')?.value ?? '(not set)'} on Render`,
    );
    if (options.databaseUrl)
      log(
        '[deploy:local] WARNING: --database-url: the pre-deploy step runs `prisma migrate deploy` against that database for real (it stays migrated)',
      );
    const port = await freePort();
    const baseEnv = { ...process.env };
    // 1. build (the database does not exist yet for Render's build either; the blueprint's env applies)
    if (options.skipBuild) skip('build', '--skip-build');
    else if (
      !(await phase('build', async () => {
        // Render's Node (NODE_VERSION) and its bundled npm: every install script runs, as on Render.
        tail.length = 0;
        const build = await renderBuild({
          cwd: options.root,
          service,
          env: blueprintEnvironment(service, '', port, baseEnv, () => undefined, options.root),
          log,
          onOutput: output,
          track: (child) => (running = child),
        });
        checkInterrupted();
        if (build.code !== 0) throw new Error(`buildCommand exited with ${build.code}`);
        return build.summary;
      }))
    )
      return result;

    // 2. the database named by fromDatabase
    let databaseUrl = options.databaseUrl;
    const ok = await phase('database', async () => {
      if (databaseUrl) return 'using --database-url';
      // Loaded only now: the build may just have reinstalled node_modules.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const db = require('@chefcloud/db') as typeof import('@chefcloud/db');
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-deploy-local-'));
      fs.chmodSync(tempDir, 0o755);
      const embedded = await db.startEmbeddedDatabase({
        dataDir: path.join(tempDir, 'pg'),
        port: await db.freePort(),
        persistent: false,
        exitOnSignals: false,
      });
      database = embedded;
      const { Client } = await import('pg');
      const admin = new Client({ connectionString: embedded.adminUrl });
      await admin.connect();
      await admin.query('CREATE DATABASE chefcloud');
      await admin.end();
      databaseUrl = embedded.urlFor('chefcloud');
      return `a throwaway embedded PostgreSQL 17 stands in for the blueprint database (data in ${tempDir}, removed at the end)`;
    });
    if (!ok || !databaseUrl) return result;
    result.databaseUrl = databaseUrl;
    const env = blueprintEnvironment(service, databaseUrl, port, baseEnv, log, options.root);

    // 3. pre-deploy
    if (options.freePlan) skip('pre-deploy', '--free-plan: the start command migrates');
    else if (options.skipPreDeploy) skip('pre-deploy', '--skip-predeploy: simulating a forgotten pre-deploy step');
    else if (!(await phase('pre-deploy', () => command('preDeployCommand', service.preDeployCommand, env))))
      return result;

    // 4. start
    const url = `http://127.0.0.1:${port}`;
    result.url = url;
    if (
      !(await phase('start', async () => {
        if (!service.startCommand) throw new Error('render.yaml has no startCommand');
        log(`[deploy:local]   $ ${service.startCommand}   (PORT=${port})`);
        tail.length = 0;
        // A process group of its own: Ctrl-C in the terminal reaches this rehearsal only, which
        // then stops the service in order (SIGTERM, drain) instead of it dying mid-request.
        // A single command is exec'd so that the signal reaches the service itself.
        const simple = !/&&|\|\||;|\|/.test(service.startCommand);
        server = spawn(shell(), ['-c', simple ? `exec ${service.startCommand}` : service.startCommand], {
          cwd: options.root,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        server.stdout?.on('data', (c: Buffer) => output(c.toString()));
        server.stderr?.on('data', (c: Buffer) => output(c.toString()));
        // Listening is enough here; readiness is the next phase's business. (The free-plan
        // variant migrates before it listens.)
        const listenTimeoutMs = options.freePlan ? 120_000 : 30_000;
        const deadline = Date.now() + listenTimeoutMs;
        for (;;) {
          checkInterrupted();
          if (server.exitCode !== null) throw new Error(`the service exited with ${server.exitCode} while starting`);
          try {
            await httpGet(`${url}/api/health/live`, 1_000);
            return `listening on ${url}`;
          } catch {
            if (Date.now() > deadline)
              throw new Error(`the service did not start listening within ${listenTimeoutMs / 1000} s`);
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }))
    )
      return result;

    // 5. health gate
    const healthPath = service.healthCheckPath ?? '/';
    const healthTimeout = options.healthTimeoutMs ?? 60_000;
    const healthy = await phase('health-check', async () => {
      const deadline = Date.now() + healthTimeout;
      for (;;) {
        checkInterrupted();
        if (server?.exitCode !== null) throw new Error(`the service exited with ${server?.exitCode}`);
        try {
          result.lastHealth = await httpGet(`${url}${healthPath}`, RENDER_HEALTH_TIMEOUT_MS);
          if (result.lastHealth.status >= 200 && result.lastHealth.status < 400)
            return `GET ${healthPath} → ${result.lastHealth.status} ${result.lastHealth.body}`;
        } catch (error) {
          result.lastHealth = { status: 0, body: error instanceof Error ? error.message : String(error) };
        }
        if (Date.now() > deadline) {
          throw new Error(
            `GET ${healthPath} never passed within ${healthTimeout / 1000} s; last answer ${result.lastHealth?.status} ${result.lastHealth?.body}. ` +
              'Render would cancel this deploy and keep the previous version serving.',
          );
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    });
    if (!healthy) {
      // What a client hitting this (never-routed) instance would see: a clear 503, not a 500.
      try {
        const res = await fetch(`${url}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'probe@example.test', password: 'probe' }),
          signal: AbortSignal.timeout(5_000),
        });
        result.loginProbe = { status: res.status, body: await res.text() };
        log(
          `[deploy:local]   meanwhile POST /auth/login on the new instance answers ${result.loginProbe.status} ${result.loginProbe.body}`,
        );
      } catch (error) {
        log(`[deploy:local]   POST /auth/login probe failed: ${String(error)}`);
      }
      return result;
    }
    result.ok = true;
    log(
      `[deploy:local] ✔ deploy rehearsal passed: ${phases.map((p) => `${p.name} ${p.skipped ? 'skipped' : `${(p.ms / 1000).toFixed(1)} s`}`).join(', ')}`,
    );
    if (options.keepRunning) {
      log(`[deploy:local] serving at ${url}`);
      log(`[deploy:local] database: ${result.databaseUrl}`);
      if (!options.databaseUrl)
        log(
          `[deploy:local]   it has no users (production: no demo seed); create the first owner with\n` +
            `[deploy:local]   DATABASE_URL='${result.databaseUrl}' npm run admin:create-owner -- --org-name … --org-slug … --email …`,
        );
      log('[deploy:local] Ctrl-C stops the service and the database, removes the temporary folder, and exits 0');
      await new Promise<void>((resolve) => {
        wakeKeepRunning = resolve;
        server?.once('exit', () => resolve());
      });
    }
    return result;
  } finally {
    const live = server as ChildProcess | undefined;
    if (live && live.exitCode === null) {
      await phase('shutdown', async () => {
        const exited = new Promise<number | null>((resolve) => live.once('exit', (code) => resolve(code)));
        signalGroup(live, 'SIGTERM');
        const code = await Promise.race([
          exited,
          new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000)),
        ]);
        if (code === 'timeout') {
          signalGroup(live, 'SIGKILL');
          throw new Error('the service did not exit within 30 s of SIGTERM');
        }
        if (code !== 0) throw new Error(`the service exited with ${code} after SIGTERM`);
        return 'SIGTERM → drained and exited 0';
      }).then((ok) => {
        if (!ok && result.ok) result.ok = false;
      });
    }
    if (database) await database.stop().catch(() => undefined);
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
