import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { buildInfo } from '../common/build/build-info';
import type { RetentionStats } from '../retention/retention.service';

/** Every metric name starts with this (process metrics included). */
export const METRIC_PREFIX = 'chefcloud_';

export type LoginMethod = 'password' | 'pin' | 'badge';
export type LoginOutcome = 'success' | 'invalid' | 'throttled' | 'shed';
export type MaintenanceOutcome = 'allowed' | 'blocked' | 'bypassed' | 'fail_open';
export type DatabaseErrorClass = 'unavailable' | 'timeout' | 'schema';
/** What a login throttle counted when it refused an attempt. */
export type ThrottleKind = 'ip_attempts' | 'ip_failures' | 'account';
export type SchemaState = 'current' | 'behind' | 'unknown';

export interface ReadinessSample {
  ready: boolean;
  databaseUp: boolean;
  schemaState: SchemaState;
  pendingMigrations: number;
}

export interface PoolSample {
  total: number;
  idle: number;
  waiting: number;
}

/** The retention job's counters since this process started (RetentionService.stats()). */
export type RetentionSample = RetentionStats;

const LOGIN_METHODS: readonly LoginMethod[] = ['password', 'pin', 'badge'];
const LOGIN_OUTCOMES: readonly LoginOutcome[] = ['success', 'invalid', 'throttled', 'shed'];
const MAINTENANCE_OUTCOMES: readonly MaintenanceOutcome[] = ['allowed', 'blocked', 'bypassed', 'fail_open'];
const DATABASE_ERROR_CLASSES: readonly DatabaseErrorClass[] = ['unavailable', 'timeout', 'schema'];
const THROTTLE_KINDS: readonly ThrottleKind[] = ['ip_attempts', 'ip_failures', 'account'];
const SCHEMA_STATES: readonly SchemaState[] = ['current', 'behind', 'unknown'];
const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
const FLAG_REASONS = ['DISABLED', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'ERROR'] as const;

/** The flag label of a key outside METRICS_FLAG_KEYS: one series for all of them (bounded cardinality). */
export const OTHER_FLAG = '_other';

/**
 * The process's Prometheus metrics (prom-client), behind a small typed API so features record
 * what happened (`loginAttempt('password', 'success')`) without knowing metric names or labels.
 *
 * Each instance owns its registry (never prom-client's global one), so several apps in one
 * process (the tests) do not share counters. Every labelled series a dashboard or an alert
 * reads is created at zero at boot, so `increase()` sees the first event and absent series never
 * mean "no data". Gauges that describe state owned elsewhere (the bcrypt queue, the pool) are
 * read at scrape time through sources the owning feature registers; `beforeScrape` hooks
 * (readiness) refresh the rest.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  private readonly logger = new Logger('Metrics');
  readonly registry = new Registry();
  readonly enabled: boolean;
  private readonly flagKeys: ReadonlySet<string>;
  private readonly scrapeHooks: (() => Promise<unknown>)[] = [];
  private bcryptQueueSource?: () => number;
  private poolSource?: () => PoolSample;
  private retentionSource?: () => RetentionSample;

  readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  readonly httpRequests: Counter<'method' | 'route' | 'status_class'>;
  private readonly pendingMigrations: Gauge;
  private readonly schemaState: Gauge<'state'>;
  private readonly ready: Gauge;
  private readonly databaseUp: Gauge;
  private readonly maintenanceChecks: Counter<'outcome'>;
  private readonly maintenanceFailOpen: Counter;
  private readonly writesBlocked: Counter<'method'>;
  private readonly loginAttempts: Counter<'method' | 'outcome'>;
  private readonly throttleHits: Counter<'kind'>;
  private readonly databaseErrors: Counter<'class'>;
  private readonly flagEvaluations: Counter<'reason' | 'flag'>;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'metrics'>) {
    this.enabled = config.metrics.enabled;
    this.flagKeys = new Set(config.metrics.flagKeys);
    const registers = [this.registry];
    const name = (n: string) => `${METRIC_PREFIX}${n}`;

    if (this.enabled) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    const info = buildInfo();
    new Gauge({
      name: name('build_info'),
      help: 'Always 1; the labels say which build is running',
      labelNames: ['version', 'commit'],
      registers,
    }).set({ version: info.version, commit: info.commit }, 1);

    this.httpDuration = new Histogram({
      name: name('http_request_duration_seconds'),
      help: 'HTTP request duration by method, route template and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.httpRequests = new Counter({
      name: name('http_requests_total'),
      help: 'HTTP requests answered, by method, route template and status class',
      labelNames: ['method', 'route', 'status_class'],
      registers,
    });

    this.pendingMigrations = new Gauge({
      name: name('schema_pending_migrations'),
      help: 'Migrations this build ships that the database has not applied (from the readiness check)',
      registers,
    });
    this.schemaState = new Gauge({
      name: name('schema_state'),
      help: '1 for the schema state the last readiness check saw (current, behind, unknown = database down)',
      labelNames: ['state'],
      registers,
    });
    this.ready = new Gauge({
      name: name('readiness_ok'),
      help: '1 when the last readiness check passed (database up, schema current), else 0',
      registers,
    });
    this.databaseUp = new Gauge({
      name: name('database_up'),
      help: '1 when the last readiness check reached the database, else 0',
      registers,
    });

    this.maintenanceChecks = new Counter({
      name: name('maintenance_checks_total'),
      help: 'Write-block maintenance checks by outcome (allowed, blocked, bypassed, fail_open)',
      labelNames: ['outcome'],
      registers,
    });
    this.maintenanceFailOpen = new Counter({
      name: name('maintenance_fail_open_total'),
      help: 'Maintenance lookups that failed open because the maintenance_windows table is missing',
      registers,
    });
    this.writesBlocked = new Counter({
      name: name('writes_blocked_total'),
      help: 'Writes refused with 503 MAINTENANCE, by HTTP method',
      labelNames: ['method'],
      registers,
    });
    this.loginAttempts = new Counter({
      name: name('login_attempts_total'),
      help: 'Login attempts by method (password, pin, badge) and outcome (success, invalid, throttled, shed)',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.throttleHits = new Counter({
      name: name('login_throttle_hits_total'),
      help: 'Login attempts refused by a throttle, by the limit that refused them',
      labelNames: ['kind'],
      registers,
    });
    this.databaseErrors = new Counter({
      name: name('db_errors_total'),
      help: 'Requests failed by the database, by class (unavailable, timeout, schema = table missing)',
      labelNames: ['class'],
      registers,
    });
    this.flagEvaluations = new Counter({
      name: name('flag_evaluations_total'),
      help: `Feature-flag evaluations by reason; flag is the key for keys in METRICS_FLAG_KEYS, else ${OTHER_FLAG}`,
      labelNames: ['reason', 'flag'],
      registers,
    });

    const bcryptQueue = (): number => this.bcryptQueueSource?.() ?? 0;
    new Gauge({
      name: name('bcrypt_queue_depth'),
      help: 'Password comparisons waiting for a bcrypt slot',
      registers,
      collect() {
        this.set(bcryptQueue());
      },
    });
    const pool = (): PoolSample => this.poolSource?.() ?? { total: 0, idle: 0, waiting: 0 };
    for (const [field, help] of [
      ['total', 'Connections open in the database pool'],
      ['idle', 'Open database connections not in use'],
      ['waiting', 'Queries waiting for a database connection'],
    ] as const) {
      new Gauge({
        name: name(`db_pool_${field}`),
        help,
        registers,
        collect() {
          this.set(pool()[field]);
        },
      });
    }

    this.registerRetentionMetrics(name, registers);

    for (const method of LOGIN_METHODS)
      for (const outcome of LOGIN_OUTCOMES) this.loginAttempts.inc({ method, outcome }, 0);
    for (const outcome of MAINTENANCE_OUTCOMES) this.maintenanceChecks.inc({ outcome }, 0);
    for (const kind of THROTTLE_KINDS) this.throttleHits.inc({ kind }, 0);
    for (const cls of DATABASE_ERROR_CLASSES) this.databaseErrors.inc({ class: cls }, 0);
    for (const method of WRITE_METHODS) this.writesBlocked.inc({ method }, 0);
    for (const reason of FLAG_REASONS) this.flagEvaluations.inc({ reason, flag: OTHER_FLAG }, 0);
    this.setSchemaState('unknown');
  }

  onModuleDestroy(): void {
    this.registry.clear();
  }

  /** The exposition (Prometheus text format), after running the scrape hooks. */
  async render(): Promise<string> {
    await Promise.all(
      this.scrapeHooks.map((hook) =>
        hook().catch((error: unknown) => this.logger.warn(`a metrics scrape hook failed: ${String(error)}`)),
      ),
    );
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Run `hook` before each scrape (e.g. the readiness check refreshing the schema gauges). */
  beforeScrape(hook: () => Promise<unknown>): void {
    this.scrapeHooks.push(hook);
  }

  /** Where the bcrypt queue depth is read at scrape time. */
  observeBcryptQueue(source: () => number): void {
    this.bcryptQueueSource = source;
  }

  /** Where the database pool figures are read at scrape time. */
  observeDatabasePool(source: () => PoolSample): void {
    this.poolSource = source;
  }

  /** Where the retention job's counters are read at scrape time. */
  observeRetention(source: () => RetentionSample): void {
    this.retentionSource = source;
  }

  readiness(sample: ReadinessSample): void {
    this.ready.set(sample.ready ? 1 : 0);
    this.databaseUp.set(sample.databaseUp ? 1 : 0);
    this.pendingMigrations.set(sample.pendingMigrations);
    this.setSchemaState(sample.schemaState);
  }

  maintenanceCheck(outcome: MaintenanceOutcome): void {
    this.maintenanceChecks.inc({ outcome });
  }

  maintenanceFailedOpen(): void {
    this.maintenanceFailOpen.inc();
  }

  writeBlocked(method: string): void {
    this.writesBlocked.inc({ method });
  }

  loginAttempt(method: LoginMethod, outcome: LoginOutcome): void {
    this.loginAttempts.inc({ method, outcome });
  }

  throttleHit(kind: ThrottleKind): void {
    this.throttleHits.inc({ kind });
  }

  databaseError(cls: DatabaseErrorClass): void {
    this.databaseErrors.inc({ class: cls });
  }

  flagEvaluated(key: string, reason: (typeof FLAG_REASONS)[number]): void {
    this.flagEvaluations.inc({ reason, flag: this.flagKeys.has(key) ? key : OTHER_FLAG });
  }

  /**
   * The retention job's figures, read from its own counters at scrape time (all zero until the
   * job registered its source; the last-run gauges stay 0 until a run of this instance completed).
   */
  private registerRetentionMetrics(name: (n: string) => string, registers: Registry[]): void {
    const retention = (): RetentionSample | undefined => this.retentionSource?.();
    new Counter({
      name: name('retention_runs_total'),
      help: 'Retention job runs by outcome (completed, skipped = another instance held the lock, failed)',
      labelNames: ['outcome'],
      registers,
      collect() {
        const stats = retention();
        this.reset();
        this.inc({ outcome: 'completed' }, stats?.runs ?? 0);
        this.inc({ outcome: 'skipped' }, stats?.skipped ?? 0);
        this.inc({ outcome: 'failed' }, stats?.failures ?? 0);
      },
    });
    new Counter({
      name: name('retention_rows_deleted_total'),
      help: 'Rows the retention job deleted, by table (sessions, login_throttle)',
      labelNames: ['table'],
      registers,
      collect() {
        const stats = retention();
        this.reset();
        this.inc({ table: 'sessions' }, stats?.sessionsDeleted ?? 0);
        this.inc({ table: 'login_throttle' }, stats?.throttleRowsDeleted ?? 0);
      },
    });
    new Gauge({
      name: name('retention_last_run_timestamp_seconds'),
      help: 'When the last completed retention run of this instance started (Unix time)',
      registers,
      collect() {
        this.set((retention()?.lastRunAt?.getTime() ?? 0) / 1000);
      },
    });
    new Gauge({
      name: name('retention_last_run_duration_seconds'),
      help: 'How long the last completed retention run of this instance took',
      registers,
      collect() {
        this.set((retention()?.lastRunDurationMs ?? 0) / 1000);
      },
    });
  }

  private setSchemaState(state: SchemaState): void {
    for (const s of SCHEMA_STATES) this.schemaState.set({ state: s }, s === state ? 1 : 0);
  }
}
