// @ts-check
/*
 * Where @prisma/schema-engine-wasm over @prisma/adapter-pg (the pinned versions, see
 * pinned-versions.cjs) behaves differently from Prisma's native schema engine, and what this
 * engine does about it. Each workaround is named; the name appears in the code that applies it.
 *
 *   CATALOG_COLUMN_TYPES      The engine's schema describer reads PostgreSQL catalog columns of
 *                             types the adapter has no column type for ("char", int2vector,
 *                             regproc, oidvector, pg_node_tree, regclass, regtype): they reach the
 *                             engine as Character or text columns instead of failing the query.
 *   WHOLE_MIGRATION_SCRIPTS   A migration.sql goes to PostgreSQL whole, through the simple-query
 *                             protocol, as the native engine sends it. The adapter's own
 *                             executeScript splits on ';' (breaking on semicolons in strings,
 *                             comments and function bodies) and runs the pieces outside one
 *                             implicit transaction.
 *   POSTGRES_ERROR_DETAILS    The WASM engine reduces a failed migration to a generic
 *                             "external connector error" (e.g. "column not found: x") with no
 *                             PostgreSQL code, no message and no statement. The error of the last
 *                             failed script is kept here (code, message, detail, hint, the
 *                             statement and its line) to put them back.
 *   FAILED_MIGRATION_LOGS     ...and the `logs` Prisma records for the failed migration in
 *                             `_prisma_migrations` get that PostgreSQL error instead of the generic
 *                             text (what `npm run db:check` shows an operator later).
 *   PRISMA_ERROR_CODES        The WASM engine's errors carry no Prisma error code: a failed
 *                             migration becomes P3018 (with the PostgreSQL error, as the native
 *                             engine reports it) and the refusal to continue after one becomes
 *                             P3009, so the CLI prints the codes the runbook names.
 *   MIGRATION_SCHEMA_CACHE    createMigration and evaluateDataLoss of the WASM build read the
 *                             schema the migration history produces from a cache that only the
 *                             shadow-database-aware commands fill; it is filled first with
 *                             diagnoseMigrationHistory over the same migrations.
 *   PRINT_THROUGH_CLI         The WASM engine returns what the native one prints through the CLI's
 *                             `print` method (a diff script) as `stdout` in its result; it is
 *                             printed the native way.
 *   ADVISORY_LOCK_POLLING     Prisma takes its migration lock with a blocking
 *                             `SELECT pg_advisory_lock(72707369)`. A statement blocked there holds
 *                             a snapshot, and `CREATE INDEX CONCURRENTLY` in the other run's
 *                             migration waits for every older snapshot: the two waited on each
 *                             other, PostgreSQL's deadlock detector aborted one, and one of two
 *                             concurrent deploys failed. The lock is taken by polling
 *                             pg_try_advisory_lock, so a waiting run holds no snapshot between tries.
 *   NATIVE_METHOD_NAMES       Methods the WASM build names differently (getDatabaseVersion is
 *                             `version`) or lacks (createDatabase).
 *   WASM_ESM_LOADING          (wasm-engine.cjs) The package's entry point imports the .wasm file as
 *                             an ES module, which Node allows only behind a flag: the module is
 *                             instantiated by hand with the package's own bindings.
 */
'use strict';

/**
 * @typedef {import('@prisma/driver-adapter-utils').SqlQuery} SqlQuery
 * @typedef {import('@prisma/driver-adapter-utils').SqlResultSet} SqlResultSet
 * @typedef {import('@prisma/driver-adapter-utils').SqlDriverAdapter} SqlDriverAdapter
 * @typedef {import('@prisma/driver-adapter-utils').Transaction} Transaction
 * @typedef {import('./protocol.cjs').UserFacingError} UserFacingError
 * @typedef {{ fields: { dataTypeID: number }[] }} RawResult
 * @typedef {{
 *   queryRaw(query: SqlQuery): Promise<SqlResultSet>;
 *   performIO(query: SqlQuery): Promise<RawResult>;
 *   startTransaction?: (...args: unknown[]) => Promise<Transaction>;
 * }} PgQueryableInternals  The adapter's private performIO, which CATALOG_COLUMN_TYPES relies on.
 * @typedef {{
 *   code: string; message: string; detail?: string; hint?: string;
 *   statement?: string; line?: number;
 * }} ScriptError
 */

// ---- CATALOG_COLUMN_TYPES -------------------------------------------------------------------

const TEXT_OID = 25;
const CHAR_OID = 18;
const CATALOG_TEXT_OIDS = new Set([
  22 /* int2vector */, 24 /* regproc */, 30 /* oidvector */, 194 /* pg_node_tree */, 2205 /* regclass */,
  2206 /* regtype */,
]);

/**
 * @template {object} T
 * @param {T} queryable an adapter or a transaction
 * @returns {T}
 */
function supportCatalogTypes(queryable) {
  const { ColumnTypeEnum } = require('@prisma/driver-adapter-utils');
  const target = /** @type {PgQueryableInternals} */ (/** @type {unknown} */ (queryable));
  const performIO = target.performIO.bind(target);
  const queryRaw = target.queryRaw;
  /** @param {SqlQuery} query */
  target.queryRaw = async function patchedQueryRaw(query) {
    const result = await performIO(query);
    /** @type {number[]} */
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
    const view = Object.create(target, { performIO: { value: async () => result } });
    const out = await queryRaw.call(view, query);
    for (const index of charColumns) out.columnTypes[index] = ColumnTypeEnum.Character;
    return out;
  };
  const startTransaction = target.startTransaction;
  if (typeof startTransaction === 'function') {
    target.startTransaction = async (...args) => supportCatalogTypes(await startTransaction.apply(target, args));
  }
  return queryable;
}

// ---- POSTGRES_ERROR_DETAILS -----------------------------------------------------------------

/** The error of the last migration script that failed in this process (reset per request). */
const scriptErrors = {
  /** @type {ScriptError | undefined} */
  last: undefined,
  reset() {
    this.last = undefined;
  },
};

/**
 * The statement of `script` around PostgreSQL's 1-based character `position`, and its line.
 * @param {string} script
 * @param {number} position
 */
function statementAt(script, position) {
  const at = Math.min(Math.max(position - 1, 0), script.length);
  const start = script.lastIndexOf(';', at - 1) + 1;
  const end = script.indexOf(';', at);
  const statement = script
    .slice(start, end < 0 ? script.length : end + 1)
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('--'))
    .join('\n')
    .trim();
  return { statement, line: script.slice(0, at).split('\n').length };
}

/**
 * Keep what PostgreSQL said about a failed script.
 * @param {string} script
 * @param {unknown} error a pg DatabaseError
 */
function recordScriptError(script, error) {
  if (!error || typeof error !== 'object' || !('code' in error) || typeof error.code !== 'string') return;
  const pgError = /** @type {{ code: string; message: string; detail?: string; hint?: string; position?: string }} */ (
    error
  );
  /** @type {ScriptError} */
  const recorded = { code: pgError.code, message: pgError.message, detail: pgError.detail, hint: pgError.hint };
  if (pgError.position) Object.assign(recorded, statementAt(script, Number(pgError.position)));
  scriptErrors.last = recorded;
}

/**
 * The PostgreSQL error as the native engine's P3018 shows it, plus the failed statement.
 * @param {ScriptError} error
 */
function describeScriptError(error) {
  const lines = [`Database error code: ${error.code}`, '', 'Database error:', `ERROR: ${error.message}`];
  if (error.detail) lines.push(`DETAIL: ${error.detail}`);
  if (error.hint) lines.push(`HINT: ${error.hint}`);
  lines.push('');
  if (error.statement) lines.push(`Failed statement (migration.sql line ${error.line}):`, error.statement);
  else
    lines.push(
      'Failed statement: not reported by PostgreSQL. A multi-statement migration.sql runs as one transaction, so none of it was applied.',
    );
  return lines.join('\n');
}

// ---- WHOLE_MIGRATION_SCRIPTS + FAILED_MIGRATION_LOGS ----------------------------------------

/**
 * @param {SqlDriverAdapter} adapter
 * @param {import('pg').Pool} pool the adapter's one-connection pool
 */
function sendScriptsWhole(adapter, pool) {
  const internals = /** @type {{ onError(error: unknown): never }} */ (/** @type {unknown} */ (adapter));
  /** @param {string} script */
  adapter.executeScript = async function executeScript(script) {
    try {
      await pool.query(script);
    } catch (error) {
      recordScriptError(script, error);
      internals.onError(error);
    }
  };
}

const FAILURE_LOGS_UPDATE = /^UPDATE "_prisma_migrations" SET "logs" = \$1 WHERE "id" = \$2$/;

/**
 * @param {SqlDriverAdapter} adapter
 */
function recordPostgresErrorInLogs(adapter) {
  const queryRaw = adapter.queryRaw.bind(adapter);
  /** @param {SqlQuery} query */
  adapter.queryRaw = (query) => {
    const failure = scriptErrors.last;
    if (failure && FAILURE_LOGS_UPDATE.test(query.sql.trim()))
      return queryRaw({ ...query, args: [describeScriptError(failure), ...query.args.slice(1)] });
    return queryRaw(query);
  };
}

// ---- ADVISORY_LOCK_POLLING ------------------------------------------------------------------

const BLOCKING_ADVISORY_LOCK = /^SELECT pg_advisory_lock\((\d+)\);?$/i;
const LOCK_POLL_INTERVAL_MS = 100;

/**
 * @param {SqlDriverAdapter} adapter
 * @param {import('pg').Pool} pool the adapter's one-connection pool (the lock is per session)
 */
function pollAdvisoryLock(adapter, pool) {
  for (const method of /** @type {const} */ (['queryRaw', 'executeRaw'])) {
    const original = /** @type {(query: SqlQuery) => Promise<unknown>} */ (adapter[method].bind(adapter));
    /** @param {SqlQuery} query */
    const patched = async (query) => {
      const match = BLOCKING_ADVISORY_LOCK.exec(query.sql.trim());
      if (!match) return original(query);
      const key = match[1];
      for (;;) {
        const { rows } = await pool.query(`SELECT pg_try_advisory_lock(${key}) AS locked`);
        if (rows[0].locked === true) break;
        await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_INTERVAL_MS));
      }
      // Held now: the engine's own statement returns at once (the lock is re-entrant) with the
      // result it expects; one unlock brings the count back to the single hold it releases later.
      const result = await original(query);
      await pool.query(`SELECT pg_advisory_unlock(${key})`);
      return result;
    };
    Object.assign(adapter, { [method]: patched });
  }
}

// ---- PRISMA_ERROR_CODES ---------------------------------------------------------------------

const P3018_HEADER =
  'A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve';

/**
 * Put back the Prisma error code (and, for P3018, the PostgreSQL error) that the native engine
 * would have reported for `method`.
 * @param {string} method
 * @param {UserFacingError} error
 * @returns {UserFacingError}
 */
function restorePrismaErrorCode(method, error) {
  if (error.error_code) return error;
  if (/^migrate found failed migrations in the target database/.test(error.message))
    return { ...error, error_code: 'P3009', meta: { details: error.message } };
  const failure = scriptErrors.last;
  if (method === 'applyMigrations' && failure) {
    const migrationName = /migration_name="([^"]+)"/.exec(error.message)?.[1] ?? '(unknown)';
    const databaseError = describeScriptError(failure);
    return {
      is_panic: false,
      error_code: 'P3018',
      message: `${P3018_HEADER}\n\nMigration name: ${migrationName}\n\n${databaseError}\n`,
      meta: { migration_name: migrationName, database_error_code: failure.code, database_error: failure.message },
    };
  }
  return error;
}

// ---- MIGRATION_SCHEMA_CACHE -----------------------------------------------------------------

/**
 * @param {{ diagnoseMigrationHistory(input: object): Promise<unknown> }} engine
 * @param {unknown} params the createMigration / evaluateDataLoss parameters
 */
async function primeMigrationSchemaCache(engine, params) {
  const p = /** @type {{ migrationsList?: unknown; filters?: unknown } | undefined} */ (params);
  if (!p || !p.migrationsList) return;
  await engine.diagnoseMigrationHistory({
    migrationsList: p.migrationsList,
    optInToShadowDatabase: true,
    filters: p.filters || { externalTables: [], externalEnums: [] },
  });
}

// ---- PRINT_THROUGH_CLI ----------------------------------------------------------------------

/**
 * @param {unknown} result an engine method's result
 * @param {(method: string, params: unknown) => Promise<unknown>} callCli
 */
async function printStdoutThroughCli(result, callCli) {
  if (result && typeof result === 'object' && 'stdout' in result && typeof result.stdout === 'string') {
    const { stdout, ...rest } = /** @type {{ stdout: string }} */ (result);
    if (stdout.length > 0) await callCli('print', { content: stdout.replace(/\n$/, '') });
    return { ...rest, stdout: null };
  }
  return result;
}

module.exports = {
  supportCatalogTypes,
  scriptErrors,
  statementAt,
  describeScriptError,
  sendScriptsWhole,
  recordPostgresErrorInLogs,
  pollAdvisoryLock,
  restorePrismaErrorCode,
  primeMigrationSchemaCache,
  printStdoutThroughCli,
};
