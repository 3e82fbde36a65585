// @ts-check
/*
 * The protocol the Prisma CLI speaks with its schema engine binary, as the native
 * `schema-engine` implements it:
 *
 *   schema-engine [--datamodels FILE]... [--datasource JSON] [--enabled-preview-features X]
 *       Long-running JSON-RPC 2.0 server: one request per line on stdin, one response per line
 *       on stdout; the engine may itself call the CLI (method `print`). Logs go to stderr as
 *       JSON lines.
 *   schema-engine --datasource JSON cli can-connect-to-database | create-database | drop-database
 *       One-shot commands: exit 0 on success; on failure exit 1 with a JSON log line on stderr
 *       carrying `fields.error_code` and `fields.message` (the CLI skips the first stderr line,
 *       so a plain header line is written before it).
 *   schema-engine --version
 *
 * Nothing in this file knows about PostgreSQL or the WebAssembly engine.
 */
'use strict';

const readline = require('node:readline');

const DEBUG = process.env.OFFLINE_SCHEMA_ENGINE_DEBUG === '1';

/**
 * @typedef {{ datamodels: string[]; datasource: Datasource | undefined; cli: string | undefined; version: boolean }} EngineArgs
 * @typedef {{ url?: string; shadowDatabaseUrl?: string }} Datasource
 * @typedef {{ is_panic: boolean; message: string; meta: unknown; error_code: string | null }} UserFacingError
 * @typedef {{ jsonrpc: '2.0'; id?: number | string | null; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } }} RpcMessage
 */

/**
 * The command line the CLI starts the engine with.
 * @param {string[]} argv
 * @returns {EngineArgs}
 */
function parseArgs(argv) {
  /** @type {EngineArgs} */
  const out = { datamodels: [], datasource: undefined, cli: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--datamodels' || arg === '-d') out.datamodels.push(argv[++i]);
    else if (arg === '--datasource') out.datasource = /** @type {Datasource} */ (JSON.parse(argv[++i]));
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++;
    else if (arg === '--version' || arg === '-V') out.version = true;
    else if (arg === 'cli') out.cli = argv[++i];
  }
  return out;
}

/**
 * One log line on stderr, in the native engine's JSON format.
 * @param {'ERROR' | 'WARN' | 'INFO' | 'DEBUG'} level
 * @param {string} message
 * @param {Record<string, unknown>} [extra]
 */
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

/** @param {unknown} message */
function debug(message) {
  if (DEBUG) log('DEBUG', String(message));
}

/**
 * The user-facing error inside an engine rejection: the WASM engine rejects with it serialised
 * as JSON ({ is_panic, message, error_code, meta }); anything else becomes a plain message.
 * @param {unknown} error
 * @returns {UserFacingError}
 */
function userFacingError(error) {
  const raw = error && typeof error === 'object' && 'message' in error ? error.message : error;
  if (typeof raw === 'string') {
    try {
      const parsed = /** @type {unknown} */ (JSON.parse(raw));
      if (parsed && typeof parsed === 'object' && 'message' in parsed) return /** @type {UserFacingError} */ (parsed);
    } catch {
      /* not JSON */
    }
  } else if (raw && typeof raw === 'object' && 'message' in raw) {
    return /** @type {UserFacingError} */ (raw);
  }
  return { is_panic: false, message: String(raw), meta: null, error_code: null };
}

/**
 * The JSON-RPC error the CLI expects for a failed request (code 4466, details in `data`).
 * @param {UserFacingError} data
 */
function rpcError(data) {
  return { code: 4466, message: 'An error happened. Check the data field for details.', data };
}

/**
 * Serve JSON-RPC 2.0 on stdin/stdout, one request at a time (as the native engine does), until
 * stdin closes. `handle` answers a request; `callCli` lets it call the CLI back.
 * @param {(method: string, params: unknown, callCli: (method: string, params: unknown) => Promise<unknown>) => Promise<unknown>} handle
 * @param {(method: string, error: unknown) => UserFacingError} describeError
 */
function serveJsonRpc(handle, describeError) {
  /** @param {RpcMessage} message */
  const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
  let nextOutgoingId = 1;
  /** @type {Map<number | string, { resolve: (value: unknown) => void; reject: (error: Error) => void }>} */
  const waiting = new Map();
  /** @type {(method: string, params: unknown) => Promise<unknown>} */
  const callCli = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextOutgoingId++;
      waiting.set(id, { resolve, reject });
      send({ jsonrpc: '2.0', id, method, params });
    });

  /** @param {RpcMessage} request */
  const answer = async (request) => {
    const { id, method = '' } = request;
    try {
      const result = await handle(method, request.params, callCli);
      if (id !== undefined) send({ jsonrpc: '2.0', id, result: result === undefined ? null : result });
    } catch (error) {
      debug(`${method} failed: ${error instanceof Error && error.stack ? error.stack : String(error)}`);
      if (id !== undefined) send({ jsonrpc: '2.0', id, error: rpcError(describeError(method, error)) });
    }
  };

  let queue = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    /** @type {RpcMessage} */
    let message;
    try {
      message = /** @type {RpcMessage} */ (JSON.parse(line));
    } catch {
      send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (message.method === undefined) {
      // A response to a request of ours.
      const waiter = message.id == null ? undefined : waiting.get(message.id);
      if (waiter && message.id != null) {
        waiting.delete(message.id);
        if (message.error) waiter.reject(new Error(message.error.message));
        else waiter.resolve(message.result);
      }
      return;
    }
    queue = queue.then(() => answer(message));
  });
  rl.on('close', () => {
    void queue.finally(() => process.exit(0));
  });
}

/**
 * Run a one-shot `cli <command>`: the header line the CLI skips, then exit 0, or exit 1 with the
 * error as a JSON log line carrying `error_code`.
 * @param {string} command
 * @param {() => Promise<void>} run
 * @param {(error: unknown) => { error_code: string; message: string }} describe
 * @returns {Promise<number>} the exit code
 */
async function runOneShot(command, run, describe) {
  process.stderr.write('offline-schema-engine ' + command + '\n');
  try {
    await run();
    return 0;
  } catch (error) {
    const described = describe(error);
    log('ERROR', described.message, described);
    return 1;
  }
}

module.exports = { parseArgs, log, debug, userFacingError, rpcError, serveJsonRpc, runOneShot };
