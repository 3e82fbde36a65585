import { Inject, Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/**
 * The key of the PostgreSQL advisory lock that lets one instance at a time run the retention
 * job (any 64-bit number unique to this job: "chefclou" in ASCII, as a bigint).
 */
export const RETENTION_LOCK_KEY = 7163086697761894261n;

/** One dedicated connection for one run of the job. */
export interface RetentionConnection {
  /** Take the job's advisory lock for this connection; false when another instance holds it. */
  tryLock(): Promise<boolean>;
  /** Delete up to `limit` sessions that expired before `cutoff`, oldest first; the number deleted. */
  deleteExpiredSessions(cutoff: Date, limit: number): Promise<number>;
  /** Delete up to `limit` sessions revoked before `cutoff`, oldest first. */
  deleteRevokedSessions(cutoff: Date, limit: number): Promise<number>;
  /** Delete up to `limit` login_throttle rows whose window started over `windowSeconds` ago. */
  deleteStaleThrottleRows(windowSeconds: number, limit: number): Promise<number>;
  /** Release the lock (if held) and close the connection. */
  close(): Promise<void>;
}

/**
 * Database access of the retention job. It uses a connection of its own rather than Prisma's
 * pool: a session-level advisory lock belongs to one connection, and the job must hold it across
 * many small transactions (one per batch, each autocommitted) — a pooled client would run each
 * statement on whichever connection is free. Closing the connection (or the process dying)
 * releases the lock.
 */
@Injectable()
export class RetentionRepository {
  constructor(@Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'database'>) {}

  async connect(): Promise<RetentionConnection> {
    const { url, connectTimeoutMs, queryTimeoutMs } = this.config.database;
    const client = new Client({
      connectionString: url,
      connectionTimeoutMillis: connectTimeoutMs,
      statement_timeout: queryTimeoutMs,
      application_name: 'chefcloud-retention',
    });
    // A connection dropped between two queries surfaces on the next query; do not crash on it.
    client.on('error', () => undefined);
    await client.connect();
    let locked = false;
    const count = async (sql: string, values: unknown[]) => (await client.query(sql, values)).rowCount ?? 0;
    // Each batch: the oldest `limit` rows by an index, deleted by their physical address (a Tid
    // Scan; no join the planner could turn into a scan of the whole table). A row changed in
    // between has a new address and is left alone, and the condition is checked again on the row
    // being deleted: a login that restarted a throttle window keeps its row.
    const deleteOldest = (table: string, column: string, condition: string, values: unknown[]) =>
      count(
        `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${table} WHERE ${condition} ORDER BY ${column} LIMIT $${values.length}))
         AND ${condition}`,
        values,
      );
    return {
      tryLock: async () => {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
          RETENTION_LOCK_KEY.toString(),
        ]);
        locked = rows[0]?.locked === true;
        return locked;
      },
      deleteExpiredSessions: (cutoff, limit) =>
        deleteOldest('sessions', 'expires_at', 'expires_at < $1', [cutoff, limit]),
      deleteRevokedSessions: (cutoff, limit) =>
        deleteOldest('sessions', 'revoked_at', 'revoked_at < $1', [cutoff, limit]),
      deleteStaleThrottleRows: (windowSeconds, limit) =>
        deleteOldest('login_throttle', 'window_started_at', 'window_started_at < now() - make_interval(secs => $1)', [
          windowSeconds,
          limit,
        ]),
      close: async () => {
        try {
          if (locked) await client.query('SELECT pg_advisory_unlock($1::bigint)', [RETENTION_LOCK_KEY.toString()]);
        } finally {
          await client.end().catch(() => undefined);
        }
      },
    };
  }
}
