/**
 * The shared database of a rehearsal or a compatibility gate: a throwaway embedded PostgreSQL
 * for render.yaml's `fromDatabase`, migrated by the old release's own pre-deploy step and
 * seeded with its demo data, as production would be before the deploy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { blueprintEnvironment } from '../deploy-local';
import type { NodeRuntime } from '../node-runtime';
import type { BlueprintService } from '../render-blueprint';
import { runReleaseCommand, type Release } from './release';

export interface Stage {
  databaseUrl: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startStage(prefix: string): Promise<Stage> {
  // Loaded only now: a build may just have reinstalled node_modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const db = require('@chefcloud/db') as typeof import('@chefcloud/db');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `chefcloud-${prefix}-`));
  fs.chmodSync(dir, 0o755);
  let embedded: Awaited<ReturnType<typeof db.startEmbeddedDatabase>> | undefined;
  try {
    embedded = await db.startEmbeddedDatabase({
      dataDir: path.join(dir, 'pg'),
      port: await db.freePort(),
      persistent: false,
      exitOnSignals: false,
    });
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: embedded.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE chefcloud');
    await admin.end();
  } catch (error) {
    await embedded?.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const live = embedded;
  return {
    databaseUrl: live.urlFor('chefcloud'),
    dir,
    stop: async () => {
      await live.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The service's environment for every instance and command (one generated JWT_SECRET for all,
 * as Render keeps a generated value across deploys). PORT is set per instance.
 */
export function serviceEnvironment(
  service: BlueprintService,
  databaseUrl: string,
  root: string,
  log: (line: string) => void,
): NodeJS.ProcessEnv {
  const env = blueprintEnvironment(service, databaseUrl, 0, process.env, log, root);
  delete env.PORT;
  return env;
}

/** The old release's pre-deploy (its own migrations) and demo seed, before any traffic. */
export async function migrateAndSeedOld(
  old: Release,
  runtime: NodeRuntime,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  let output = '';
  const collect = (chunk: string) => (output += chunk);
  const preDeploy = old.service.preDeployCommand;
  if (!preDeploy) throw new Error('the old release’s render.yaml has no preDeployCommand');
  log(`  old release: $ ${preDeploy}`);
  if ((await runReleaseCommand(old, runtime, preDeploy, env, collect)) !== 0)
    throw new Error(`the old release's pre-deploy failed:\n${output.slice(-2000)}`);
  output = '';
  log('  old release: $ npm run db:seed   (demo data, NODE_ENV=development)');
  if ((await runReleaseCommand(old, runtime, 'npm run db:seed', { ...env, NODE_ENV: 'development' }, collect)) !== 0)
    throw new Error(`the old release's demo seed failed:\n${output.slice(-2000)}`);
}

/** GET healthCheckPath until 2xx/3xx (Render's rule) or `timeoutMs`; returns the last answer. */
export async function waitHealthy(
  url: string,
  healthPath: string,
  timeoutMs: number,
): Promise<{ ok: boolean; status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = { ok: false, status: 0, body: '' };
  for (;;) {
    try {
      const res = await fetch(`${url}${healthPath}`, { signal: AbortSignal.timeout(5_000) });
      last = { ok: res.status >= 200 && res.status < 400, status: res.status, body: (await res.text()).slice(0, 500) };
      if (last.ok) return last;
    } catch (error) {
      last = { ok: false, status: 0, body: error instanceof Error ? error.message : String(error) };
    }
    if (Date.now() > deadline) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
}
