#!/usr/bin/env node
// @ts-check
/*
 * Offline Prisma schema engine.
 *
 * The Prisma 7 CLI normally downloads a native `schema-engine` binary the first time a `migrate`
 * command runs. Where that download is impossible (air-gapped CI, these build machines) the CLI
 * can be pointed at another executable through PRISMA_SCHEMA_ENGINE_BINARY. This file is that
 * executable: it speaks the native binary's protocol and forwards every call to Prisma's official
 * WebAssembly build of the same engine (@prisma/schema-engine-wasm), which talks to PostgreSQL
 * through @prisma/adapter-pg.
 *
 *   lib/pinned-versions.cjs  the engine and adapter versions it runs against (and refuses others)
 *   lib/protocol.cjs         the CLI ↔ engine protocol: arguments, JSON-RPC over stdio, one-shot commands
 *   lib/adapter-bridge.cjs   PostgreSQL: connection settings, the adapter factory, shadow databases
 *   lib/workarounds.cjs      every place the WASM build differs from the native engine, named and explained
 *   lib/wasm-engine.cjs      loading the WebAssembly module
 *
 * Set OFFLINE_SCHEMA_ENGINE_DEBUG=1 to copy the engine's log lines to stderr.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { assertPinnedVersions } = require('./lib/pinned-versions.cjs');
const { parseArgs, log, debug, userFacingError, serveJsonRpc, runOneShot } = require('./lib/protocol.cjs');
const {
  withAdminClient,
  createDatabaseIfMissing,
  createAdapterFactory,
  connectionErrorToPrisma,
  quoteIdent,
  pgConfig,
} = require('./lib/adapter-bridge.cjs');
const {
  scriptErrors,
  restorePrismaErrorCode,
  primeMigrationSchemaCache,
  printStdoutThroughCli,
} = require('./lib/workarounds.cjs');
const { loadWasmEngine } = require('./lib/wasm-engine.cjs');

/**
 * @typedef {import('./lib/protocol.cjs').EngineArgs} EngineArgs
 * @typedef {Awaited<ReturnType<typeof import('@prisma/schema-engine-wasm', { with: { 'resolution-mode': 'import' } }).SchemaEngine.new>>} WasmSchemaEngine
 * @typedef {Record<string, (params: unknown) => Promise<unknown>>} MethodTable
 */

/**
 * `cli <command>`: the one-shot commands.
 * @param {string} command
 * @param {EngineArgs['datasource']} datasource
 */
function runCli(command, datasource) {
  const url = (datasource && datasource.url) || '';
  /** @type {Record<string, () => Promise<void>>} */
  const commands = {
    'can-connect-to-database': async () => {
      const { Client } = require('pg');
      const client = new Client(pgConfig(url));
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
    },
    'create-database': async () => {
      await createDatabaseIfMissing(url);
    },
    'drop-database': async () => {
      await withAdminClient(url, (client, name) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      );
    },
  };
  const run = commands[command];
  if (!run) {
    process.stderr.write('offline-schema-engine ' + command + '\n');
    log('ERROR', `Unsupported command: cli ${command}`, { error_code: 'P1000' });
    return Promise.resolve(1);
  }
  return runOneShot(command, run, (error) => connectionErrorToPrisma(error, url));
}

/**
 * The long-running JSON-RPC server.
 * @param {EngineArgs} args
 */
function serve(args) {
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  /** @type {[string, string][]} */
  const datamodels = args.datamodels.map((file) => [file, fs.readFileSync(path.resolve(file), 'utf8')]);
  // One engine for the life of the process, as with the native binary.
  /** @type {Promise<WasmSchemaEngine> | undefined} */
  let enginePromise;
  const engine = () => {
    enginePromise ??= loadWasmEngine().then(({ SchemaEngine }) =>
      SchemaEngine.new(
        { datamodels: datamodels.length ? datamodels : undefined },
        (/** @type {string} */ line) => debug(line),
        bindMigrationAwareSqlAdapterFactory(createAdapterFactory(args.datasource)),
      ),
    );
    return enginePromise;
  };

  /** Methods the native engine has that the WASM build names differently, lacks, or needs primed for. */
  /** @type {MethodTable} */
  const special = {
    // workaround MIGRATION_SCHEMA_CACHE
    evaluateDataLoss: async (params) => {
      const instance = await engine();
      await primeMigrationSchemaCache(instance, params);
      return instance.evaluateDataLoss(/** @type {Parameters<WasmSchemaEngine['evaluateDataLoss']>[0]} */ (params));
    },
    createMigration: async (params) => {
      const instance = await engine();
      await primeMigrationSchemaCache(instance, params);
      return instance.createMigration(/** @type {Parameters<WasmSchemaEngine['createMigration']>[0]} */ (params));
    },
    // workaround NATIVE_METHOD_NAMES
    getDatabaseVersion: async (params) =>
      (await engine()).version(/** @type {Parameters<WasmSchemaEngine['version']>[0]} */ (params ?? null)),
    createDatabase: async (params) => {
      const p = /** @type {{ datasource?: { tag?: string; url?: string } } | undefined} */ (params);
      const url =
        p?.datasource?.tag === 'ConnectionString' && p.datasource.url ? p.datasource.url : args.datasource?.url;
      if (!url) throw new Error('No datasource URL: set DATABASE_URL (read by prisma.config.ts).');
      return { databaseName: await createDatabaseIfMissing(url) };
    },
  };

  serveJsonRpc(
    async (method, params, callCli) => {
      scriptErrors.reset();
      const handler = special[method];
      if (handler) return handler(params);
      const instance = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (await engine()));
      const fn = instance[method];
      if (typeof fn !== 'function') throw new Error(`The offline schema engine does not support \`${method}\`.`);
      // workaround PRINT_THROUGH_CLI
      return printStdoutThroughCli(await fn.call(instance, params), callCli);
    },
    // workaround PRISMA_ERROR_CODES
    (method, error) => restorePrismaErrorCode(method, userFacingError(error)),
  );
}

async function main() {
  assertPinnedVersions(__dirname);
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    const { version } = await loadWasmEngine();
    process.stdout.write(`schema-engine-cli ${version()} (offline, WebAssembly)\n`);
    return;
  }
  if (args.cli) {
    process.exitCode = await runCli(args.cli, args.datasource);
    return;
  }
  serve(args);
}

main().catch((/** @type {unknown} */ error) => {
  const message = error instanceof Error ? error.message : String(error);
  log('ERROR', message);
  // The CLI shows an engine that dies at start-up only vaguely: say it plainly too.
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
