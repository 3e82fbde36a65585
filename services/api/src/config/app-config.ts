import crypto from 'node:crypto';
import { DEVELOPMENT_BADGE_HASH_KEY } from '@chefcloud/db';
import { envSchema, type Env } from './env.schema';

/** Validated, typed configuration of the API (built from the environment by loadConfig). */
export interface AppConfig {
  nodeEnv: Env['NODE_ENV'];
  isProduction: boolean;
  port: number;
  host: string;
  database: { url: string; poolMax: number; connectTimeoutMs: number; queryTimeoutMs: number };
  healthTimeoutMs: number;
  readinessSchemaCheckIntervalMs: number;
  jwt: { secret: string; secretGenerated: boolean; ttlSeconds: number; deviceTtlSeconds: number };
  sessionCacheTtlMs: number;
  loginThrottle: {
    ipLimit: number;
    ipAttemptLimit: number;
    ipWindowSeconds: number;
    accountLimit: number;
    accountWindowSeconds: number;
  };
  loginHashing: { queueMax: number; queueWaitMs: number };
  /** Nice value of libuv's thread pool (Linux), below the event loop's; 0 leaves it. */
  threadPoolNice: number;
  log: { level: Env['LOG_LEVEL']; pretty: boolean };
  http: {
    bodyLimit: string;
    corsOrigins: string[];
    trustProxy: string;
    keepAliveTimeoutMs: number;
    headersTimeoutMs: number;
    requestTimeoutMs: number;
  };
  apiDocsEnabled: boolean;
  changeControl: {
    writeBlockEnabled: boolean;
    maintenanceCacheTtlMs: number;
    flagCacheTtlMs: number;
    platformAdminOrgSlug: string | null;
    maxOpenWindows: number;
  };
  retention: { sessionRetentionDays: number; intervalMs: number; batchSize: number };
  shutdownTimeoutMs: number;
  bcryptCost: number;
  metrics: { enabled: boolean; token: string | null; flagKeys: string[] };
  /** The OTLP endpoint when tracing is on (src/tracing/tracing.ts starts it before the app). */
  tracing: { endpoint: string | null };
  /** HMAC key of stored badge codes (see BADGE_HASH_KEY). */
  badgeHashKey: string;
}

/** Browser origins allowed when CORS_ORIGINS is unset outside production: the original clients' dev servers. */
export const DEVELOPMENT_CORS_ORIGINS = ['http://localhost:3000', 'http://localhost:5173'];

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * Optional variables whose blank value means "unset": Render stores a `sync: false` variable
 * left empty in the Dashboard as an empty string (PLATFORM_ADMIN_ORG_SLUG empty = nobody is a
 * platform admin, as the runbook says), which must not stop the API at boot.
 */
const BLANK_MEANS_UNSET = ['PLATFORM_ADMIN_ORG_SLUG'] as const;

function withoutBlankOptionals(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const key of BLANK_MEANS_UNSET) if (out[key]?.trim() === '') delete out[key];
  return out;
}

/** Validate `env` and build the AppConfig; throws ConfigValidationError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, isTty = Boolean(process.stdout.isTTY)): AppConfig {
  const parsed = envSchema.safeParse(withoutBlankOptionals(env));
  if (!parsed.success) {
    throw new ConfigValidationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const jwtSecret = e.JWT_SECRET ?? crypto.randomBytes(48).toString('base64');
  return {
    nodeEnv: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    database: {
      url: e.DATABASE_URL,
      poolMax: e.DATABASE_POOL_MAX,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS,
    },
    healthTimeoutMs: e.HEALTH_TIMEOUT_MS,
    readinessSchemaCheckIntervalMs: e.READINESS_SCHEMA_CHECK_INTERVAL_MS,
    // Outside production a missing secret is replaced by a random one per start (tokens then
    // do not survive a restart); the boot log warns about it.
    jwt: {
      secret: jwtSecret,
      secretGenerated: !e.JWT_SECRET,
      ttlSeconds: e.JWT_TTL_SECONDS,
      deviceTtlSeconds: e.JWT_DEVICE_TTL_SECONDS,
    },
    sessionCacheTtlMs: e.SESSION_CACHE_TTL_MS,
    loginThrottle: {
      ipLimit: e.LOGIN_THROTTLE_IP_LIMIT,
      ipAttemptLimit: e.LOGIN_THROTTLE_IP_ATTEMPT_LIMIT,
      ipWindowSeconds: e.LOGIN_THROTTLE_IP_WINDOW_SECONDS,
      accountLimit: e.LOGIN_THROTTLE_ACCOUNT_LIMIT,
      accountWindowSeconds: e.LOGIN_THROTTLE_ACCOUNT_WINDOW_SECONDS,
    },
    loginHashing: { queueMax: e.LOGIN_HASH_QUEUE_MAX, queueWaitMs: e.LOGIN_HASH_QUEUE_WAIT_MS },
    threadPoolNice: e.THREADPOOL_NICE,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY ?? (isTty && !isProduction) },
    http: {
      bodyLimit: e.BODY_LIMIT,
      corsOrigins:
        e.CORS_ORIGINS === undefined
          ? isProduction
            ? []
            : DEVELOPMENT_CORS_ORIGINS
          : e.CORS_ORIGINS.split(',')
              .map((o) => o.trim())
              .filter(Boolean),
      trustProxy: e.TRUST_PROXY,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS ?? e.HTTP_KEEP_ALIVE_TIMEOUT_MS + 1_000,
      requestTimeoutMs:
        e.HTTP_REQUEST_TIMEOUT_MS ??
        (e.SHUTDOWN_TIMEOUT_MS > 0
          ? Math.max(1_000, Math.min(20_000, Math.floor(e.SHUTDOWN_TIMEOUT_MS * 0.8)))
          : 20_000),
    },
    apiDocsEnabled: e.API_DOCS_ENABLED ?? !isProduction,
    changeControl: {
      writeBlockEnabled: e.ENABLE_WRITE_BLOCK_MIDDLEWARE,
      maintenanceCacheTtlMs: e.MAINTENANCE_CACHE_TTL_MS,
      flagCacheTtlMs: e.FEATURE_FLAG_CACHE_TTL_MS,
      platformAdminOrgSlug: e.PLATFORM_ADMIN_ORG_SLUG ?? null,
      maxOpenWindows: e.MAINTENANCE_MAX_OPEN_WINDOWS,
    },
    retention: {
      sessionRetentionDays: e.SESSION_RETENTION_DAYS,
      intervalMs: e.RETENTION_INTERVAL_MS,
      batchSize: e.RETENTION_BATCH_SIZE,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    bcryptCost: e.BCRYPT_COST,
    metrics: {
      enabled: e.METRICS_ENABLED,
      token: e.METRICS_TOKEN ?? null,
      flagKeys: e.METRICS_FLAG_KEYS.split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    },
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null },
    badgeHashKey:
      e.BADGE_HASH_KEY ??
      (isProduction
        ? crypto.createHmac('sha256', jwtSecret).update('chefcloud badge hash key').digest('base64')
        : DEVELOPMENT_BADGE_HASH_KEY),
  };
}
