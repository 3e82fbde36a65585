#!/usr/bin/env node
// @ts-check
// Runs the Prisma CLI for @chefcloud/db with the schema engine chosen for this machine.
//
// By default the CLI is pointed (PRISMA_SCHEMA_ENGINE_BINARY) at engine/offline-schema-engine.cjs,
// which runs Prisma's official WebAssembly schema engine over @prisma/adapter-pg: no download,
// works wherever `npm install` works. Set CHEFCLOUD_PRISMA_ENGINE=native to let the CLI use its
// native engine instead (downloaded by Prisma on first use: needs access to Prisma's binary host),
// or set PRISMA_SCHEMA_ENGINE_BINARY yourself to use any other engine binary.
//
// Before starting the CLI it refuses, in one line, what would otherwise fail obscurely:
//  - a command that needs a database without DATABASE_URL (prisma.config.ts would hand the CLI a
//    placeholder URL, and the operator would read "P1001 Can't reach database server at 127.0.0.1:1");
//  - `migrate dev` without --name, or `migrate reset` without --force, when there is no terminal:
//    they would ask a question nobody can answer and wait forever.
// After a failed `migrate deploy` it says where to read the cause.
//
// Usage: node scripts/prisma.mjs <prisma arguments...>   (npm run db:deploy, db:status, ...)
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '..');
const require = createRequire(import.meta.url);

export const OFFLINE_ENGINE = path.join(packageDir, 'engine', 'offline-schema-engine.cjs');

/**
 * @typedef {{ name: 'offline' | 'native' | 'custom'; description: string; env: Record<string, string> }} EngineChoice
 */

/**
 * Which engine the CLI will use, and the environment that selects it.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {EngineChoice}
 */
export function selectEngine(env = process.env) {
  const choice = (env.CHEFCLOUD_PRISMA_ENGINE || 'offline').toLowerCase();
  if (env.PRISMA_SCHEMA_ENGINE_BINARY) {
    return { name: 'custom', description: `custom engine ${env.PRISMA_SCHEMA_ENGINE_BINARY}`, env: {} };
  }
  if (choice === 'native') {
    return { name: 'native', description: "Prisma's native schema engine (downloaded by the Prisma CLI)", env: {} };
  }
  if (choice !== 'offline') {
    throw new Error(`CHEFCLOUD_PRISMA_ENGINE must be "offline" or "native", got "${env.CHEFCLOUD_PRISMA_ENGINE}"`);
  }
  return {
    name: 'offline',
    description: 'offline schema engine (@prisma/schema-engine-wasm over @prisma/adapter-pg)',
    env: { PRISMA_SCHEMA_ENGINE_BINARY: OFFLINE_ENGINE },
  };
}

/**
 * Why these Prisma arguments must not run here, in one line, or undefined when they may.
 * @param {string[]} args the Prisma CLI arguments
 * @param {NodeJS.ProcessEnv} env
 * @param {boolean} interactive whether stdin is a terminal
 * @returns {string | undefined}
 */
export function refusal(args, env, interactive) {
  const [group, command] = args;
  const needsDatabase = group === 'db' || (group === 'migrate' && command !== 'diff');
  if (needsDatabase && !env.DATABASE_URL)
    return `DATABASE_URL is not set: \`prisma ${args.slice(0, 2).join(' ')}\` needs the database (postgresql://user:password@host:5432/db)`;
  if (interactive || group !== 'migrate') return undefined;
  if (command === 'dev' && !args.some((a) => a === '--name' || a === '-n' || a.startsWith('--name=')))
    return '`prisma migrate dev` without --name asks for the migration name, and there is no terminal to answer: pass it (npm run db:dev -- --name <change>)';
  if (command === 'reset' && !args.includes('--force') && !args.includes('-f'))
    return '`prisma migrate reset` asks for confirmation, and there is no terminal to answer: pass --force';
  return undefined;
}

function main() {
  const args = process.argv.slice(2);
  /** @type {EngineChoice} */
  let engine;
  try {
    engine = selectEngine();
  } catch (error) {
    console.error(`[chefcloud-db] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  const refused = refusal(args, process.env, Boolean(process.stdin.isTTY));
  if (refused) {
    console.error(`[chefcloud-db] ${refused}`);
    process.exit(2);
  }
  console.error(`[chefcloud-db] prisma ${args.join(' ')}: using the ${engine.description}`);
  const cli = require.resolve('prisma/build/index.js');
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: packageDir,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
      ...engine.env,
    },
  });
  /** @param {NodeJS.Signals} signal */
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else {
      if (code && args[0] === 'migrate' && args[1] === 'deploy')
        console.error(
          '[chefcloud-db] migrate deploy failed. `npm run db:check` shows each failed migration with the PostgreSQL error; docs/runbooks/deploy.md ("A failed pre-deploy") says what to do.',
        );
      process.exit(code ?? 1);
    }
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
