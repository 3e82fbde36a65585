import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

export interface PrismaClientOptions {
  /** PostgreSQL connection string. */
  url: string;
  /** Maximum connections in the pool (default 10). */
  poolMax?: number;
  /** How long to wait for a connection before failing, in ms (default 5000). */
  connectTimeoutMs?: number;
  /** Server-side statement timeout in ms; 0 disables it (default 0). */
  statementTimeoutMs?: number;
  /** Client-side limit on a query's round trip in ms, for a server that stops answering (default none). */
  queryTimeoutMs?: number;
  /** Close idle pooled connections after this many ms (default 10000). */
  idleTimeoutMs?: number;
  /** Called when an idle pooled connection fails (the database restarted, for instance). */
  onPoolError?: (err: Error) => void;
  /**
   * Interactive transactions: how long to wait for a connection (maxWait) and how long one may
   * run (timeout), in ms. Prisma's defaults (2 s / 5 s) are shorter than the configured query
   * timeout: a transaction waiting on a row lock for 5 s expired (P2028) where a query would not.
   */
  transactionMaxWaitMs?: number;
  transactionTimeoutMs?: number;
}

/** The connection pool's figures at one moment (for the API's metrics). */
export interface PoolStats {
  /** Connections open (busy or idle). */
  total: number;
  /** Open connections not in use. */
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

const pools = new WeakMap<PrismaClient, pg.Pool>();

/** The pool figures of a client made by createPrismaClient (undefined for any other client). */
export function databasePoolStats(client: PrismaClient): PoolStats | undefined {
  const pool = pools.get(client);
  return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/**
 * A PrismaClient on @prisma/adapter-pg (Prisma 7 has no built-in driver). Connection
 * failures surface quickly (connectTimeoutMs) instead of hanging a request. The pg pool is ours
 * (handed to the adapter, which ends it on $disconnect), so its figures can be read:
 * databasePoolStats(client).
 */
export function createPrismaClient(options: PrismaClientOptions): PrismaClient {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    application_name: 'chefcloud-api',
  });
  const adapter = new PrismaPg(pool, { onPoolError: options.onPoolError, disposeExternalPool: true });
  const client = new PrismaClient({
    adapter,
    transactionOptions: {
      ...(options.transactionMaxWaitMs ? { maxWait: options.transactionMaxWaitMs } : {}),
      ...(options.transactionTimeoutMs ? { timeout: options.transactionTimeoutMs } : {}),
    },
  });
  pools.set(client, pool);
  return client;
}
