/**
 * `npm start` with no DATABASE_URL: embedded PostgreSQL, migrations, demo seed, API; a clean
 * stop on SIGTERM; a second start reuses the data. Runs the real scripts/start.mjs against the
 * built packages (turbo builds them before tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@chefcloud/db/testing';
import { portOpen } from './support/net';

const ROOT = path.resolve(__dirname, '../../..');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Every start of this file, so that afterAll can stop what a failed test left running. */
const running: Started[] = [];

function start(dataDir: string, port: number): Started {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHEFCLOUD_DATA_DIR: dataDir,
    PORT: String(port),
    BCRYPT_COST: '4',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = { child, output: () => output, exited };
  running.push(started);
  return started;
}

/**
 * Live means: this child said it listens on `port` and the port answers 200. (The port alone
 * could be another process's: a free port found earlier can be taken by anyone meanwhile.)
 */
async function waitForLive(port: number, started: Started, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`start exited early:\n${started.output()}`);
    if (!started.output().includes(`http://localhost:${port}`)) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health/live`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`API did not become live:\n${started.output()}`);
}

describe('npm start (scripts/start.mjs) without DATABASE_URL', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-start-'));
  fs.chmodSync(dataDir, 0o755);
  afterAll(async () => {
    // A failed assertion leaves a start (and its PostgreSQL) running: stop it before removing its data.
    for (const started of running) {
      if (started.child.exitCode === null && started.child.signalCode === null) {
        started.child.kill('SIGTERM');
        await Promise.race([started.exited, new Promise((r) => setTimeout(r, 30_000))]);
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts embedded PostgreSQL, migrates, seeds, serves; stops cleanly; reuses the data on the next start', async () => {
    const apiPort = await freePort();
    const pgPort = await freePort();
    process.env.EMBEDDED_PG_PORT = String(pgPort);
    try {
      const first = start(dataDir, apiPort);
      await waitForLive(apiPort, first);
      expect(first.output()).toContain('starting an embedded PostgreSQL 17');
      expect(first.output()).toContain('All migrations have been successfully applied');
      expect(first.output()).toContain('demo data created (4 users)');
      expect(first.output()).toContain(`http://localhost:${apiPort}`);
      expect(first.output()).toContain('owner@demo-bistro.test');
      expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);

      first.child.kill('SIGTERM');
      await expect(first.exited).resolves.toBe(0);
      expect(await portOpen(apiPort)).toBe(false);
      expect(await portOpen(pgPort)).toBe(false);

      const second = start(dataDir, apiPort);
      await waitForLive(apiPort, second);
      expect(second.output()).toContain('No pending migrations to apply');
      expect(second.output()).toMatch(/demo data: skipped, the database already has 4 user/);
      second.child.kill('SIGINT');
      await expect(second.exited).resolves.toBe(0);
    } finally {
      delete process.env.EMBEDDED_PG_PORT;
    }
  });
});
