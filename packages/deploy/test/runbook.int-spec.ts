/**
 * docs/runbooks/deploy.md, played: every block marked runnable is executed in order, as an
 * operator would type it, against the built API that `npm run deploy:local -- --keep-running`
 * serves on a throwaway PostgreSQL (curl against its port, SQL against its database), and what
 * the block prints is checked against the output the runbook promises. A step that no longer
 * works fails here. Ends with Ctrl-C to deploy:local, which must stop fast, clean and exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS_DIR } from '@chefcloud/db';
import { REPO_ROOT } from '../src/repo';
import { missingOutput, runnableBlocks, type RunbookBlock } from '../src/runbook';

const RUNBOOK = path.join(REPO_ROOT, 'docs/runbooks/deploy.md');
const OWNER = { email: 'owner@example.com', password: 'correct-horse-battery-staple' };
const BROKEN = '20990101000000_add_nickname';

interface Instance {
  process: ChildProcess;
  out: () => string;
  api: string;
  databaseUrl: string;
  tempDir: string;
}

/** `npm run deploy:local -- --skip-build --keep-running` in a process group of its own (like a terminal). */
async function startInstance(): Promise<Instance> {
  const child = spawn('npm', ['run', 'deploy:local', '--', '--skip-build', '--keep-running'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PLATFORM_ADMIN_ORG_SLUG: 'example-platform', TURBO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 240_000;
  while (!out.includes('Ctrl-C stops the service')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`deploy:local did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const api = /serving at (http:\/\/\S+)/.exec(out)?.[1];
  const databaseUrl = /\[deploy:local\] database: (postgresql:\/\/\S+)/.exec(out)?.[1];
  const tempDir = /data in (\S+), removed at the end/.exec(out)?.[1];
  if (!api || !databaseUrl || !tempDir) throw new Error(`deploy:local did not print its URLs:\n${out}`);
  return { process: child, out: () => out, api, databaseUrl, tempDir };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Run a bash block like a terminal session: variables persist from block to block (stateFile). */
function runBash(
  code: string,
  env: NodeJS.ProcessEnv,
  stateFile: string,
): Promise<{ code: number; out: string; ms: number }> {
  const script = [
    'set -a',
    `. ${JSON.stringify(stateFile)}`,
    'set -o pipefail',
    code,
    '__rc=$?',
    `export -p > ${JSON.stringify(`${stateFile}.next`)}`,
    'exit $__rc',
  ].join('\n');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      if (fs.existsSync(`${stateFile}.next`)) fs.renameSync(`${stateFile}.next`, stateFile);
      resolve({ code: exit ?? 1, out, ms: Date.now() - started });
    });
    // Whatever asks for the owner's password (admin:create-owner, `read`) gets it on stdin.
    child.stdin.end(`${OWNER.password}\n`);
  });
}

async function runSql(code: string, databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const results = [await client.query(code)].flat();
    return results.map((r) => JSON.stringify(r.rows)).join('\n');
  } finally {
    await client.end();
  }
}

async function login(api: string): Promise<string> {
  const res = await fetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

async function call(api: string, method: string, route: string, body: unknown): Promise<void> {
  const res = await fetch(`${api}${route}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await login(api)}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
}

const MIGRATION_HEAD = "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '60s';\n";

/**
 * What the world looks like before some blocks (named by `setup=` in the runbook): the commit
 * being deployed ships a broken migration (a checkout = CHEFCLOUD_MIGRATIONS_DIR), then the fixed
 * one; a feature flag to kill; a global maintenance window in force.
 */
const SETUPS: Record<string, (ctx: { api: string; env: NodeJS.ProcessEnv; tmp: string }) => Promise<void>> = {
  'failed-migration': async ({ env, tmp }) => {
    const dir = path.join(tmp, 'migrations');
    fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    fs.mkdirSync(path.join(dir, BROKEN));
    fs.writeFileSync(
      path.join(dir, BROKEN, 'migration.sql'),
      `${MIGRATION_HEAD}ALTER TABLE "users" ADD COLUMN "nickname" TEXT;\nUPDATE "users" SET "nickname" = "nick";\n`,
    );
    env.CHEFCLOUD_MIGRATIONS_DIR = dir;
    await Promise.resolve();
  },
  'fixed-migration': async ({ env }) => {
    fs.writeFileSync(
      path.join(env.CHEFCLOUD_MIGRATIONS_DIR as string, BROKEN, 'migration.sql'),
      `${MIGRATION_HEAD}ALTER TABLE "users" ADD COLUMN "nickname" TEXT;\nUPDATE "users" SET "nickname" = "first_name";\n`,
    );
    await Promise.resolve();
  },
  flag: ({ api }) => call(api, 'POST', '/ops/flags', { key: 'new-checkout', active: true, rolloutPct: 50 }),
  'global-window': ({ api }) =>
    call(api, 'POST', '/ops/maintenance', {
      startsAt: new Date(Date.now() - 1_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      blockWrites: true,
      global: true,
      message: 'runbook test',
    }),
};

describe('docs/runbooks/deploy.md, played against a deploy:local instance', () => {
  const blocks = runnableBlocks(fs.readFileSync(RUNBOOK, 'utf8'));
  let instance: Instance | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-runbook-'));
  const stateFile = path.join(tmp, 'shell-state');
  fs.writeFileSync(stateFile, '');
  const env: NodeJS.ProcessEnv = { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' };
  delete env.CHEFCLOUD_MIGRATIONS_DIR;
  delete env.TOKEN;
  const timings: string[] = [];

  beforeAll(async () => {
    instance = await startInstance();
    env.API = instance.api;
    env.DATABASE_URL = instance.databaseUrl;
  }, 300_000);

  afterAll(() => {
    if (instance && instance.process.exitCode === null) signalGroup(instance.process, 'SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
    process.stdout.write(`[runbook] ${timings.join(', ')}\n`);
  });

  it('has runnable blocks to play', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  for (const block of blocks) {
    const title = `${block.section} (line ${block.line}): ${block.code.split('\n')[0]}`;
    it(title, async () => {
      if (!instance) throw new Error('no instance');
      const setup: RunbookBlock['setup'] = block.setup;
      if (setup) {
        const prepare = SETUPS[setup];
        if (!prepare) throw new Error(`line ${block.line}: unknown setup=${setup}`);
        await prepare({ api: instance.api, env, tmp });
      }
      let out: string;
      if (block.language === 'sql') {
        out = await runSql(block.code, instance.databaseUrl);
      } else {
        expect(block.language).toBe('bash');
        const result = await runBash(block.code, env, stateFile);
        timings.push(`line ${block.line} ${(result.ms / 1000).toFixed(1)} s`);
        out = result.out;
        expect({ exit: result.code, out }).toEqual({ exit: block.exitCode, out });
      }
      expect({ missing: missingOutput(block.expected, out), out }).toEqual({ missing: [], out });
    });
  }

  it('deploy:local --keep-running: Ctrl-C stops the service and the database fast, removes its temporary folder, exits 0', async () => {
    if (!instance) throw new Error('no instance');
    const live = instance;
    expect(live.out()).toContain(`DATABASE_URL='${live.databaseUrl}' npm run admin:create-owner`);
    expect(fs.existsSync(live.tempDir)).toBe(true);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      live.process.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const sent = Date.now();
    signalGroup(live.process, 'SIGINT'); // what Ctrl-C in a terminal does: the whole foreground group
    const result = await exited;
    const ms = Date.now() - sent;
    expect(live.out()).toContain('✓ shutdown');
    expect(live.out()).toContain('SIGTERM → drained and exited 0');
    expect(result).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(20_000);
    expect(fs.existsSync(live.tempDir)).toBe(false);
  });
});
