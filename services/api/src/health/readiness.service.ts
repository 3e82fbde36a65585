import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { compareMigrations, isMissingTableError, listShippedMigrations, shippedMigrationsDir } from '@chefcloud/db';
import { buildInfo } from '../common/build/build-info';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { MigrationHistoryRepository } from './migration-history.repository';
import { SchemaColumnsRepository, type SchemaGaps } from './schema-columns.repository';

export interface Readiness {
  status: 'ok' | 'unavailable';
  db: 'up' | 'down';
  schema: {
    state: 'current' | 'behind' | 'unknown';
    applied: number;
    latest: string | null;
    pending: string[];
    /** Migrations that failed and must be resolved (`npm run db:resolve`). */
    failed?: string[];
    /** Applied migrations this build does not ship: the database is ahead (after a code rollback). */
    unknown?: string[];
    /** Tables (`users`) or columns (`sessions.last_activity_at`) this build maps that do not exist. */
    missing?: string[];
    /** Privileges the API's role lacks (`users: SELECT, UPDATE`). */
    denied?: string[];
  };
  version: string;
  commit?: string;
  uptimeSeconds: number;
  error?: string;
}

const startedAt = Date.now();

/**
 * Readiness: the database answers and every migration this build ships is applied. The shipped
 * list is read once at boot from the build's own prisma/migrations directory (never a constant),
 * and compared with `_prisma_migrations` on each check. A check answers within
 * HEALTH_TIMEOUT_MS (2 s) even when the database hangs; concurrent checks share one probe.
 * Every check updates the readiness metrics (pending migrations, schema state, database up),
 * and each metrics scrape runs a check, so the gauges are fresh even when nobody polls readiness.
 */
@Injectable()
export class ReadinessService implements OnModuleInit {
  private readonly logger = new Logger('Readiness');
  private readonly shipped = listShippedMigrations(shippedMigrationsDir());
  private readonly version = buildInfo().version;
  private readonly commit = process.env.RENDER_GIT_COMMIT?.slice(0, 12);
  private inFlight?: Promise<Omit<Readiness, 'version' | 'uptimeSeconds' | 'commit'>>;
  private lastState?: string;
  /** The last schema comparison (tables, columns, privileges), reused for READINESS_SCHEMA_CHECK_INTERVAL_MS. */
  private gaps?: { at: number; migrations: string; value: SchemaGaps };

  constructor(
    private readonly migrations: MigrationHistoryRepository,
    private readonly columns: SchemaColumnsRepository,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'healthTimeoutMs' | 'readinessSchemaCheckIntervalMs'>,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.metrics.beforeScrape(() => this.check());
  }

  /**
   * Tables, columns and privileges this build needs that the database lacks: at most one query
   * per interval, and again at once when the applied migrations changed (a deploy just ran).
   */
  private async schemaGaps(migrations: string): Promise<SchemaGaps> {
    const now = Date.now();
    const cached = this.gaps;
    if (cached && cached.migrations === migrations && now - cached.at < this.config.readinessSchemaCheckIntervalMs)
      return cached.value;
    const value = await this.columns.gaps();
    this.gaps = { at: now, migrations, value };
    return value;
  }

  async check(): Promise<Readiness> {
    this.inFlight ??= this.probe().finally(() => {
      this.inFlight = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Omit<Readiness, 'version' | 'uptimeSeconds' | 'commit'>>((resolve) => {
      timer = setTimeout(
        () => resolve(down(`no answer from the database within ${this.config.healthTimeoutMs} ms`)),
        this.config.healthTimeoutMs,
      );
    });
    const result = await Promise.race([this.inFlight, timeout]).finally(() => clearTimeout(timer));
    this.metrics.readiness({
      ready: result.status === 'ok',
      databaseUp: result.db === 'up',
      schemaState: result.schema.state,
      pendingMigrations: result.schema.pending.length,
    });
    const summary = `${result.status}/${result.db}/${result.schema.state}`;
    if (summary !== this.lastState) {
      this.lastState = summary;
      const message = `readiness ${result.status}: db ${result.db}, schema ${result.schema.state}${result.schema.pending.length ? ` (pending: ${result.schema.pending.join(', ')})` : ''}${result.schema.missing?.length ? ` (missing: ${result.schema.missing.join(', ')})` : ''}${result.error ? ` (${result.error})` : ''}`;
      if (result.status === 'ok') this.logger.log(message);
      else this.logger.warn(message);
    }
    return {
      ...result,
      version: this.version,
      ...(this.commit ? { commit: this.commit } : {}),
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
  }

  private async probe(): Promise<Omit<Readiness, 'version' | 'uptimeSeconds' | 'commit'>> {
    let rows: Awaited<ReturnType<MigrationHistoryRepository['findApplied']>>;
    try {
      rows = await this.migrations.findApplied();
    } catch (error) {
      if (!isMissingTableError(error)) return down(describeError(error));
      rows = []; // never migrated: everything is pending
    }
    const s = compareMigrations(this.shipped, rows);
    let gaps: SchemaGaps;
    try {
      gaps = await this.schemaGaps(
        rows.map((r) => `${r.name}:${r.finishedAt ? 'done' : 'open'}:${r.rolledBackAt ? 'back' : ''}`).join(','),
      );
    } catch (error) {
      return down(describeError(error));
    }
    // A migration recorded as applied does not prove its columns are there (a column dropped by
    // hand, a restore of an older dump): what this build maps must exist and be usable.
    const state = s.state === 'current' && gaps.missing.length ? 'behind' : s.state;
    return {
      status: state === 'current' && gaps.denied.length === 0 ? 'ok' : 'unavailable',
      db: 'up',
      ...(gaps.denied.length ? { error: `permission denied: ${gaps.denied.join('; ')}` } : {}),
      schema: {
        state,
        applied: s.applied.length,
        latest: s.applied[s.applied.length - 1] ?? null,
        pending: s.pending,
        ...(s.failed.length ? { failed: s.failed } : {}),
        ...(s.unknown.length ? { unknown: s.unknown } : {}),
        ...(gaps.missing.length ? { missing: gaps.missing } : {}),
        ...(gaps.denied.length ? { denied: gaps.denied } : {}),
      },
    };
  }
}

/** A one-line description of a probe failure, never empty (some driver errors have no message). */
export function describeError(error: unknown): string {
  const line = error instanceof Error ? error.message.split('\n')[0].trim() : String(error).trim();
  if (line) return line;
  const code = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : typeof error;
  return `${name}${typeof code === 'string' ? ` ${code}` : ''} without a message`;
}

function down(error: string): Omit<Readiness, 'version' | 'uptimeSeconds' | 'commit'> {
  return {
    status: 'unavailable',
    db: 'down',
    schema: { state: 'unknown', applied: 0, latest: null, pending: [] },
    error,
  };
}
