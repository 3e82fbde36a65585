#!/usr/bin/env node
// Runs the Prisma CLI for @chefcloud/db with the schema engine chosen for this machine.
//
// By default the CLI is pointed (PRISMA_SCHEMA_ENGINE_BINARY) at engine/offline-schema-engine.cjs,
// which runs Prisma's official WebAssembly schema engine over @prisma/adapter-pg: no download,
// works wherever `npm install` works. Set CHEFCLOUD_PRISMA_ENGINE=native to let the CLI use its
// native engine instead (downloaded by Prisma on first use: needs access to Prisma's binary host),
// or set PRISMA_SCHEMA_ENGINE_BINARY yourself to use any other engine binary.
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

/** Which engine the CLI will use, and the environment that selects it. */
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

function main() {
  const args = process.argv.slice(2);
  let engine;
  try {
    engine = selectEngine();
  } catch (error) {
    console.error(`[chefcloud-db] ${error.message}`);
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
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
