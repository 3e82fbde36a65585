#!/usr/bin/env node
/*
 * Offline Prisma schema engine.
 *
 * The Prisma 7 CLI normally downloads a native `schema-engine` binary the first time a
 * `migrate` command runs. Where that download is impossible (air-gapped CI, these build
 * machines) the CLI can be pointed at another executable through
 * PRISMA_SCHEMA_ENGINE_BINARY. This file is that executable: it speaks the same protocol
 * as the native binary and forwards every call to Prisma's official WebAssembly build of
 * the same engine (@prisma/schema-engine-wasm), which talks to PostgreSQL through
 * @prisma/adapter-pg.
 *
 * Protocol (what the CLI expects from the native binary):
 *   schema-engine [--datamodels FILE]... [--datasource JSON] [--enabled-preview-features X]
 *       Long-running JSON-RPC 2.0 server: one request per line on stdin, one response
 *       per line on stdout. Logs go to stderr as JSON lines.
 *   schema-engine --datasource JSON cli can-connect-to-database | create-database
 *       One-shot commands: exit 0 on success; on failure exit 1 with a JSON log line on
 *       stderr carrying `fields.error_code` and `fields.message` (the CLI skips the first
 *       stderr line, so a plain header line is written before it).
 *   schema-engine --version
 *
 * Two details that matter for correctness:
 *   - Connection pool of exactly one connection. Prisma serialises migrations with
 *     `pg_advisory_lock(72707369)`, a session-level lock: the lock, the migration
 *     statements and the unlock must run on the same connection, or two concurrent
 *     `migrate deploy` runs could both apply a migration.
 *   - Migration scripts are sent to PostgreSQL whole, through the simple-query
 *     protocol, exactly as the native engine does. (The adapter's own executeScript
 *     splits on ';', which breaks on semicolons inside strings, comments and function
 *     bodies, and runs the statements outside one implicit transaction.)
 *
 * Set OFFLINE_SCHEMA_ENGINE_DEBUG=1 to copy the engine's log lines to stderr.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const crypto = require('node:crypto');

const DEBUG = process.env.OFFLINE_SCHEMA_ENGINE_DEBUG === '1';
let lastPanicMessage;

function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined, cli: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--datamodels' || arg === '-d') out.datamodels.push(argv[++i]);
    else if (arg === '--datasource') out.datasource = JSON.parse(argv[++i]);
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++;
    else if (arg === '--version' || arg === '-V') out.version = true;
    else if (arg === 'cli') out.cli = argv[++i];
  }
  return out;
}

function log(level, message, extra) {
  process.stderr.write(
    JSON.stringify({
      timestamp: new Date().toISOString(),
      level,
      target: 'schema_engine::logger',
      fields: { message, ...extra },
    }) + '\n',
  );
}

function debug(message) {
  if (DEBUG) log('DEBUG', String(message));
}

/** pg connection settings from a URL, with the database name replaced when asked. */
function pgConfig(url, database) {
  const u = new URL(url);
  const config = {
    host: decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: database ?? decodeURIComponent(u.pathname.replace(/^\//, '')),
    max: 1,
    connectionTimeoutMillis: Number(process.env.OFFLINE_SCHEMA_ENGINE_CONNECT_TIMEOUT_MS || 10000),
    application_name: 'prisma-offline-schema-engine',
  };
  const hostParam = u.searchParams.get('host');
  if (hostParam) config.host = hostParam; // unix socket directory
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode && sslmode !== 'disable') config.ssl = { rejectUnauthorized: sslmode === 'verify-full' };
  const schema = u.searchParams.get('schema');
  if (schema) config.options = `-c search_path="${schema.replace(/"/g, '""')}"`;
  return config;
}

function schemaOf(url) {
  try {
    return new URL(url).searchParams.get('schema') || undefined;
  } catch {
    return undefined;
  }
}

/*
 * PostgreSQL catalog types that the engine's schema describer reads but that
 * @prisma/adapter-pg has no column type for: `"char"` (pg_constraint.contype,
 * pg_class.relkind, ...) must reach the engine as a Character column, the others in their
 * text form. Every query result of an adapter or transaction is passed through this.
 */
const TEXT_OID = 25;
const CHAR_OID = 18;
const CATALOG_TEXT_OIDS = new Set([
  22 /* int2vector */, 24 /* regproc */, 30 /* oidvector */, 194 /* pg_node_tree */, 2205 /* regclass */,
  2206 /* regtype */,
]);

function supportCatalogTypes(queryable) {
  const { ColumnTypeEnum } = require('@prisma/driver-adapter-utils');
  const performIO = queryable.performIO.bind(queryable);
  const queryRaw = queryable.queryRaw;
  queryable.queryRaw = async function patchedQueryRaw(query) {
    const result = await performIO(query);
    const charColumns = [];
    result.fields.forEach((field, index) => {
      if (field.dataTypeID === CHAR_OID) {
        charColumns.push(index);
        field.dataTypeID = TEXT_OID;
      } else if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) {
        field.dataTypeID = TEXT_OID;
      }
    });
    // Let the adapter build its result from the already-fetched rows.
    const view = Object.create(queryable, { performIO: { value: async () => result } });
    const out = await queryRaw.call(view, query);
    for (const index of charColumns) out.columnTypes[index] = ColumnTypeEnum.Character;
    return out;
  };
  if (typeof queryable.startTransaction === 'function') {
    const startTransaction = queryable.startTransaction.bind(queryable);
    queryable.startTransaction = async (...args) => supportCatalogTypes(await startTransaction(...args));
  }
  return queryable;
}

/** Connect a one-connection adapter and send migration scripts to PostgreSQL whole. */
async function connectAdapter(config, schema, onDispose) {
  const { PrismaPg } = require('@prisma/adapter-pg');
  const adapter = await new PrismaPg(config, schema ? { schema } : undefined).connect();
  const pool = adapter.underlyingDriver();
  supportCatalogTypes(adapter);
  adapter.executeScript = async function executeScript(script) {
    try {
      await pool.query(script);
    } catch (error) {
      this.onError(error);
    }
  };
  if (onDispose) {
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await onDispose();
    };
  }
  return adapter;
}

function quoteIdent(name) {
  return '"' + String(name).replace(/"/g, '""') + '"';
}

async function withAdminClient(url, fn) {
  const { Client } = require('pg');
  const cfg = pgConfig(url);
  const target = cfg.database;
  for (const database of ['postgres', 'template1']) {
    const client = new Client({ ...cfg, database });
    try {
      await client.connect();
    } catch (error) {
      if (error && error.code === '3D000') continue;
      throw error;
    }
    try {
      return await fn(client, target);
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw new Error('Could not connect to the `postgres` or `template1` database to create databases.');
}

/** The migration-aware adapter factory handed to the WASM engine. */
function createAdapterFactory(datasource) {
  const url = datasource && datasource.url;
  if (!url) throw new Error('No datasource URL: set DATABASE_URL (read by prisma.config.ts).');
  const schema = schemaOf(url);
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connectAdapter(pgConfig(url), schema),
    async connectToShadowDb() {
      if (datasource.shadowDatabaseUrl) {
        debug('using the configured shadow database');
        return connectAdapter(pgConfig(datasource.shadowDatabaseUrl), schemaOf(datasource.shadowDatabaseUrl));
      }
      // No shadow database configured: create a temporary one beside the main database
      // and drop it when the engine is done with it.
      const name = `prisma_shadow_${crypto.randomBytes(6).toString('hex')}`;
      await withAdminClient(url, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
      debug(`created temporary shadow database ${name}`);
      return connectAdapter(pgConfig(url, name), schema, async () => {
        await withAdminClient(url, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
        );
        debug(`dropped temporary shadow database ${name}`);
      });
    },
  };
}

/** Map a driver error to the P1xxx codes the native engine reports for connection problems. */
function connectionErrorToPrisma(error, url) {
  let host = '?';
  let port = '5432';
  let database = '?';
  try {
    const u = new URL(url);
    host = u.hostname;
    port = u.port || '5432';
    database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  } catch {
    /* keep the placeholders */
  }
  const code = error && error.code;
  if (code === '3D000')
    return {
      error_code: 'P1003',
      message: `Database \`${database}\` does not exist on the database server at \`${host}:${port}\`.`,
    };
  if (code === '28P01' || code === '28000')
    return {
      error_code: 'P1000',
      message: `Authentication failed against the database server at \`${host}:${port}\`, the provided database credentials are not valid.`,
    };
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    code === 'ETIMEDOUT' ||
    /timeout/i.test(String(error && error.message))
  )
    return {
      error_code: 'P1001',
      message: `Can't reach database server at \`${host}:${port}\`\n\nPlease make sure your database server is running at \`${host}:${port}\`.`,
    };
  return { error_code: 'P1000', message: String((error && error.message) || error) };
}

async function runCli(command, datasource) {
  const url = datasource && datasource.url;
  process.stderr.write('offline-schema-engine ' + command + '\n'); // the CLI ignores the first stderr line
  try {
    if (command === 'can-connect-to-database') {
      const { Client } = require('pg');
      const client = new Client(pgConfig(url));
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
    } else if (command === 'create-database') {
      await withAdminClient(url, async (client, name) => {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      });
    } else if (command === 'drop-database') {
      await withAdminClient(url, (client, name) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      );
    } else {
      log('ERROR', `Unsupported command: cli ${command}`, { error_code: 'P1000' });
      return 1;
    }
    return 0;
  } catch (error) {
    log('ERROR', connectionErrorToPrisma(error, url).message, connectionErrorToPrisma(error, url));
    return 1;
  }
}

/**
 * Turn an engine rejection into a JSON-RPC error the CLI understands. The WASM engine
 * rejects with its user-facing error serialised as JSON ({ is_panic, message, error_code, meta });
 * anything else is reported as a plain message.
 */
function toRpcError(error) {
  let data;
  const raw = error && typeof error === 'object' && 'message' in error ? error.message : error;
  if (typeof raw === 'string') {
    try {
      const parsed = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && 'message' in parsed) data = parsed;
    } catch {
      /* not JSON */
    }
  } else if (raw && typeof raw === 'object' && 'message' in raw) {
    data = raw;
  }
  if (!data) data = { is_panic: false, message: String(raw), meta: null, error_code: null };
  return { code: 4466, message: 'An error happened. Check the data field for details.', data };
}

/**
 * Load @prisma/schema-engine-wasm. Its entry point imports the .wasm file as an ES module,
 * which Node only allows behind a flag, so the module is instantiated here by hand with the
 * package's own JavaScript bindings, exactly as that entry point would.
 */
async function loadWasmEngine() {
  // The WASM build reports a Rust panic's message here before it throws.
  if (!globalThis.PRISMA_WASM_PANIC_REGISTRY) {
    globalThis.PRISMA_WASM_PANIC_REGISTRY = {
      set_message(message) {
        lastPanicMessage = String(message);
        log('ERROR', `schema engine panicked: ${lastPanicMessage}`);
      },
    };
  }
  // The package's "exports" hide package.json; resolve its bindings file through the export map.
  const bindingsFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bindings = await import(require('node:url').pathToFileURL(bindingsFile).href);
  const bytes = fs.readFileSync(path.join(path.dirname(bindingsFile), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bindings;
}

async function serve(args) {
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');

  const datamodels = args.datamodels.map((file) => [file, fs.readFileSync(path.resolve(file), 'utf8')]);
  // One engine for the life of the process, as with the native binary.
  let enginePromise;
  const engine = () => {
    if (!enginePromise) {
      enginePromise = loadWasmEngine().then(({ SchemaEngine }) =>
        SchemaEngine.new(
          { datamodels: datamodels.length ? datamodels : undefined },
          (line) => debug(line),
          bindMigrationAwareSqlAdapterFactory(createAdapterFactory(args.datasource)),
        ),
      );
    }
    return enginePromise;
  };

  /*
   * createMigration and evaluateDataLoss of the WASM build do not receive the adapter
   * factory: they read the schema that the migration history produces from a cache that
   * only the shadow-database-aware commands (devDiagnostic, diagnoseMigrationHistory) fill.
   * The native engine computes it on demand, so it is computed here first, on a shadow
   * database, with diagnoseMigrationHistory over the same migrations.
   */
  const primeMigrationSchemaCache = async (instance, params) => {
    if (!params || !params.migrationsList) return;
    await instance.diagnoseMigrationHistory({
      migrationsList: params.migrationsList,
      optInToShadowDatabase: true,
      filters: params.filters || { externalTables: [], externalEnums: [] },
    });
  };

  // Methods of the native engine that the WASM build names differently or lacks.
  const special = {
    evaluateDataLoss: async (params) => {
      const instance = await engine();
      await primeMigrationSchemaCache(instance, params);
      return instance.evaluateDataLoss(params);
    },
    createMigration: async (params) => {
      const instance = await engine();
      await primeMigrationSchemaCache(instance, params);
      return instance.createMigration(params);
    },
    getDatabaseVersion: async (params) => (await engine()).version(params ?? null),
    createDatabase: async (params) => {
      const url =
        params && params.datasource && params.datasource.tag === 'ConnectionString'
          ? params.datasource.url
          : args.datasource.url;
      let databaseName = '';
      await withAdminClient(url, async (client, name) => {
        databaseName = name;
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      });
      return { databaseName };
    },
  };

  let queue = Promise.resolve();
  const respond = (message) => process.stdout.write(JSON.stringify(message) + '\n');

  // Requests this engine sends to the CLI (only `print`), by id.
  let nextOutgoingId = 1;
  const pending = new Map();
  const callCli = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextOutgoingId++;
      pending.set(id, { resolve, reject });
      respond({ jsonrpc: '2.0', id, method, params });
    });

  // The WASM engine returns what the native one prints through the CLI's `print` method
  // (the diff script, for instance) as `stdout` in its result; print it the native way.
  const printStdout = async (result) => {
    if (result && typeof result === 'object' && typeof result.stdout === 'string') {
      const { stdout, ...rest } = result;
      if (stdout.length > 0) await callCli('print', { content: stdout.replace(/\n$/, '') });
      return { ...rest, stdout: null };
    }
    return result;
  };

  const handle = async (request) => {
    const { id, method, params } = request;
    try {
      let result;
      if (special[method]) result = await special[method](params);
      else {
        const instance = await engine();
        if (typeof instance[method] !== 'function')
          throw new Error(`The offline schema engine does not support \`${method}\`.`);
        result = await printStdout(await instance[method](params));
      }
      if (id !== undefined) respond({ jsonrpc: '2.0', id, result: result === undefined ? null : result });
    } catch (error) {
      debug(`${method} failed: ${error && error.stack ? error.stack : error}`);
      if (id !== undefined) respond({ jsonrpc: '2.0', id, error: toRpcError(error) });
    }
  };

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      respond({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (request.method === undefined) {
      // A response to a request of ours.
      const waiter = pending.get(request.id);
      if (waiter) {
        pending.delete(request.id);
        if (request.error) waiter.reject(new Error(request.error.message));
        else waiter.resolve(request.result);
      }
      return;
    }
    // The native engine handles one request at a time; so does this one.
    queue = queue.then(() => handle(request));
  });
  rl.on('close', () => {
    void queue.finally(() => process.exit(0));
  });
}

async function main() {
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
  await serve(args);
}

main().catch((error) => {
  log('ERROR', String((error && error.message) || error));
  process.exit(1);
});
