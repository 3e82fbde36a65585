// @ts-check
/*
 * The bridge between the WASM engine and PostgreSQL: connection settings from the datasource
 * URL, the migration-aware adapter factory the engine is given (@prisma/adapter-pg with the
 * workarounds applied), temporary shadow databases, and the P1xxx codes the native engine
 * reports for connection problems.
 *
 * The pool has exactly one connection: Prisma serialises migrations with
 * `pg_advisory_lock(72707369)`, a session-level lock, so the lock, the migration statements and
 * the unlock must run on the same connection, or two concurrent `migrate deploy` runs could both
 * apply a migration.
 */
'use strict';

const crypto = require('node:crypto');
const { debug } = require('./protocol.cjs');
const {
  supportCatalogTypes,
  sendScriptsWhole,
  recordPostgresErrorInLogs,
  pollAdvisoryLock,
} = require('./workarounds.cjs');

/**
 * @typedef {import('pg').PoolConfig & { host: string; port: number; database: string }} PgConfig
 * @typedef {import('@prisma/driver-adapter-utils').SqlDriverAdapter} SqlDriverAdapter
 * @typedef {import('@prisma/driver-adapter-utils').SqlMigrationAwareDriverAdapterFactory} AdapterFactory
 * @typedef {import('./protocol.cjs').Datasource} Datasource
 */

/**
 * pg connection settings from a URL, with the database name replaced when asked.
 * @param {string} url
 * @param {string} [database]
 * @returns {PgConfig}
 */
function pgConfig(url, database) {
  const u = new URL(url);
  /** @type {PgConfig} */
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

/** @param {string} url */
function schemaOf(url) {
  try {
    return new URL(url).searchParams.get('schema') || undefined;
  } catch {
    return undefined;
  }
}

/** @param {string} name */
function quoteIdent(name) {
  return '"' + String(name).replace(/"/g, '""') + '"';
}

/**
 * Run `fn` on a connection to the server's `postgres` (or `template1`) database, for creating
 * and dropping databases; `target` is the database named in `url`.
 * @template T
 * @param {string} url
 * @param {(client: import('pg').Client, target: string) => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withAdminClient(url, fn) {
  const { Client } = require('pg');
  const cfg = pgConfig(url);
  const target = cfg.database;
  for (const database of ['postgres', 'template1']) {
    const client = new Client({ ...cfg, database });
    try {
      await client.connect();
    } catch (error) {
      if (error && typeof error === 'object' && 'code' in error && error.code === '3D000') continue;
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

/**
 * Create the database named in `url` unless it exists; resolves with its name.
 * @param {string} url
 */
function createDatabaseIfMissing(url) {
  return withAdminClient(url, async (client, name) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return name;
  });
}

/**
 * A one-connection adapter with the workarounds applied.
 * @param {PgConfig} config
 * @param {string | undefined} schema
 * @param {() => Promise<void>} [onDispose]
 * @returns {Promise<SqlDriverAdapter>}
 */
async function connectAdapter(config, schema, onDispose) {
  const { PrismaPg } = require('@prisma/adapter-pg');
  const adapter = await new PrismaPg(config, schema ? { schema } : undefined).connect();
  const pool = adapter.underlyingDriver();
  supportCatalogTypes(adapter); // workaround CATALOG_COLUMN_TYPES
  sendScriptsWhole(adapter, pool); // workarounds WHOLE_MIGRATION_SCRIPTS, POSTGRES_ERROR_DETAILS
  recordPostgresErrorInLogs(adapter); // workaround FAILED_MIGRATION_LOGS
  pollAdvisoryLock(adapter, pool); // workaround ADVISORY_LOCK_POLLING
  if (onDispose) {
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await onDispose();
    };
  }
  return adapter;
}

/**
 * The migration-aware adapter factory handed to the WASM engine.
 * @param {Datasource | undefined} datasource
 * @returns {AdapterFactory}
 */
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
      // No shadow database configured: create a temporary one beside the main database and
      // drop it when the engine is done with it.
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

/**
 * A driver error as the P1xxx code and message the native engine reports for connection problems.
 * @param {unknown} error
 * @param {string | undefined} url
 * @returns {{ error_code: string; message: string }}
 */
function connectionErrorToPrisma(error, url) {
  let host = '?';
  let port = '5432';
  let database = '?';
  try {
    const u = new URL(url ?? '');
    host = u.hostname;
    port = u.port || '5432';
    database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  } catch {
    /* keep the placeholders */
  }
  const code = error && typeof error === 'object' && 'code' in error ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
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
    /timeout/i.test(message)
  )
    return {
      error_code: 'P1001',
      message: `Can't reach database server at \`${host}:${port}\`\n\nPlease make sure your database server is running at \`${host}:${port}\`.`,
    };
  return { error_code: 'P1000', message };
}

module.exports = {
  pgConfig,
  quoteIdent,
  withAdminClient,
  createDatabaseIfMissing,
  createAdapterFactory,
  connectionErrorToPrisma,
};
