import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Every setting the API reads from the environment, validated once at boot. An invalid or
 * missing value stops the process with a message naming the variable (see loadConfig). Each
 * variable is described here, where it is declared: README's configuration table is generated
 * from these descriptions and defaults (`npm run docs:config`; a unit test fails when it differs).
 */
export const envSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'test', 'production'])
      .default('development')
      .describe('`development`, `test` or `production`'),
    PORT: z.coerce
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(3001)
      .describe(
        'port the API listens on; 3001 locally, where the original ChefCloud clients expect the API (Render sets `PORT`)',
      ),
    HOST: z.string().min(1).default('0.0.0.0').describe('address the API listens on'),
    DATABASE_URL: z
      .string({ error: 'DATABASE_URL is required (a postgresql:// connection string)' })
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// connection string')
      .describe('PostgreSQL connection string (required by the API; `npm start` provides one)'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10).describe('connections per API process'),
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(3000)
      .describe('fail a request with 503 instead of hanging when the database is unreachable'),
    // Longest a query may run (server statement_timeout and client query timeout): a hung
    // database becomes a 503 after this, never a request that hangs forever.
    DATABASE_QUERY_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(10_000)
      .describe(
        'longest a query may run (server `statement_timeout`, client timeout just above): a hung database becomes a 503',
      ),
    // Readiness (/api/health) answers within this even when the database hangs (Render: 5 s).
    HEALTH_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(4_500)
      .default(2_000)
      .describe('`/api/health` answers within this even when the database hangs'),
    READINESS_SCHEMA_CHECK_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(30_000)
      .describe(
        'readiness compares the tables, columns and privileges the build maps with the database at most this often',
      ),
    JWT_SECRET: z
      .string()
      .optional()
      .describe(
        'secret signing access tokens: required (32+ characters) when `NODE_ENV=production`, else random per start',
      ),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('pino level (`silent` to mute)'),
    LOG_PRETTY: bool
      .optional()
      .describe('human-readable logs instead of JSON (default: on for a TTY outside production)'),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'BODY_LIMIT looks like 100kb or 1mb')
      .default('100kb')
      .describe('largest accepted request body (413 above)'),
    CORS_ORIGINS: z
      .string()
      .optional()
      .describe(
        'Comma-separated allowed browser origins. Unset: http://localhost:3000 and http://localhost:5173 (the web and desktop dev servers) outside production, none in production',
      ),
    TRUST_PROXY: z.string().default('1').describe('Express trust-proxy setting (Render has one proxy)'),
    SHUTDOWN_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(300_000)
      .default(25_000)
      .describe("drain limit on SIGTERM (below Render's 30 s shutdown delay)"),
    BCRYPT_COST: z.coerce
      .number()
      .int()
      .min(4)
      .max(15)
      .default(12)
      .describe('bcrypt cost for new password hashes and the login dummy hash'),
    // Access tokens: 8 h for web and mobile sessions, 12 h for in-store devices (POS, KDS) that
    // stay signed in for a whole service.
    JWT_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(8 * 3600)
      .describe('token lifetime of web, mobile and other sessions'),
    JWT_DEVICE_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(12 * 3600)
      .describe('token lifetime of POS and KDS sessions'),
    SESSION_CACHE_TTL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(5_000)
      .describe('how long an instance may reuse a verified session lookup (`0`: no cache)'),
    // Login throttling (every environment): attempts per client IP, failures per account.
    LOGIN_THROTTLE_IP_LIMIT: z.coerce
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('failed logins per client IP per LOGIN_THROTTLE_IP_WINDOW_SECONDS (successes do not count)'),
    LOGIN_THROTTLE_IP_ATTEMPT_LIMIT: z.coerce
      .number()
      .int()
      .min(1)
      .default(300)
      .describe('every login attempt per client IP per window: a high ceiling for a shared restaurant network'),
    LOGIN_THROTTLE_IP_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(60)
      .describe('window of `LOGIN_THROTTLE_IP_LIMIT`'),
    LOGIN_THROTTLE_ACCOUNT_LIMIT: z.coerce
      .number()
      .int()
      .min(1)
      .default(5)
      .describe('credential checks per account per window (counted before the check; a success clears them)'),
    LOGIN_THROTTLE_ACCOUNT_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(900)
      .describe('window of `LOGIN_THROTTLE_ACCOUNT_LIMIT`'),
    LOGIN_HASH_QUEUE_MAX: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(64)
      .describe('logins that may wait for a hashing slot; more are answered 503 + Retry-After at once'),
    LOGIN_HASH_QUEUE_WAIT_MS: z.coerce
      .number()
      .int()
      .min(50)
      .max(60_000)
      .default(2_000)
      .describe(
        'longest a login waits for a hashing slot, counted from its arrival (estimated then, enforced while waiting); then 503',
      ),
    THREADPOOL_NICE: z.coerce
      .number()
      .int()
      .min(0)
      .max(19)
      .default(10)
      .describe(
        "nice value of libuv's thread pool (bcrypt hashing) on Linux: below the event loop, so a login storm never delays other requests (`0`: unchanged)",
      ),
    // HTTP connections. A fronting proxy (Render, a load balancer) reuses idle connections for up
    // to its own idle timeout (60 s is common): ours must be longer, or a request it sends on a
    // connection we are closing at that very moment is reset.
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(600_000)
      .default(65_000)
      .describe("how long an idle keep-alive connection stays open; above the fronting proxy's idle timeout"),
    HTTP_HEADERS_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(601_000)
      .optional()
      .describe('longest wait for request headers; must be above HTTP_KEEP_ALIVE_TIMEOUT_MS (default: it + 1 s)'),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(300_000)
      .optional()
      .describe(
        'longest a request (headers and body) may take to arrive; below SHUTDOWN_TIMEOUT_MS (default: 20 s, at most 80% of it)',
      ),
    API_DOCS_ENABLED: bool
      .optional()
      .describe('serve Swagger UI at /api/docs (default: on, except when NODE_ENV=production)'),
    // Retention (a periodic job, one instance at a time): sessions that expired or were revoked
    // more than SESSION_RETENTION_DAYS ago, and login_throttle rows whose window has passed, are
    // deleted RETENTION_BATCH_SIZE rows per statement every RETENTION_INTERVAL_MS (0: never).
    SESSION_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(0)
      .max(3650)
      .default(30)
      .describe('Days an expired or revoked session is kept before the retention job deletes it'),
    RETENTION_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(86_400_000)
      .default(600_000)
      .describe('How often each instance tries to run the retention job, in ms (0: never)'),
    RETENTION_BATCH_SIZE: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(1_000)
      .describe('Rows the retention job deletes per statement (small batches keep locks short)'),
    // Change control: the write block during maintenance windows, and how long each instance
    // may reuse a maintenance / feature-flag lookup (changes made on the same instance apply at once).
    ENABLE_WRITE_BLOCK_MIDDLEWARE: bool.default(true).describe('`false` disables the maintenance write block'),
    MAINTENANCE_CACHE_TTL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(5_000)
      .describe('per-instance cache of maintenance window lookups'),
    FEATURE_FLAG_CACHE_TTL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(5_000)
      .describe('per-instance cache of feature flag lookups'),
    MAINTENANCE_MAX_OPEN_WINDOWS: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_000)
      .default(20)
      .describe('maintenance windows an org (or the platform, for global ones) may have scheduled or in force at once'),
    PLATFORM_ADMIN_ORG_SLUG: z
      .string()
      .min(1)
      .optional()
      .describe('slug of the org whose L5 users manage global maintenance windows and feature flags'),
    BADGE_HASH_KEY: z
      .string()
      .min(16)
      .optional()
      .describe(
        'Key of the HMAC under which POS badge codes are stored. Unset: a fixed development key outside production, derived from JWT_SECRET in production (changing it invalidates every enrolled badge)',
      ),
    // Observability (README "Metrics, alerts and traces").
    METRICS_ENABLED: bool.default(true).describe('serve Prometheus metrics on GET /metrics and /ops/metrics'),
    METRICS_TOKEN: z
      .string()
      .min(16, 'METRICS_TOKEN must be at least 16 characters')
      .optional()
      .describe('bearer token (16+ characters) a scraper must send; unset in production: the metrics paths answer 404'),
    METRICS_FLAG_KEYS: z
      .string()
      .default('')
      .describe('comma-separated feature-flag keys that get their own label on flag-evaluation metrics'),
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .url({ protocol: /^https?$/, error: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
      .optional()
      .describe('OTLP/HTTP collector base URL: set, it turns OpenTelemetry tracing on (read before boot)'),
  })
  .superRefine((env, ctx) => {
    if (env.HTTP_HEADERS_TIMEOUT_MS !== undefined && env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_KEEP_ALIVE_TIMEOUT_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: 'HTTP_HEADERS_TIMEOUT_MS must be above HTTP_KEEP_ALIVE_TIMEOUT_MS',
      });
    if (
      env.HTTP_REQUEST_TIMEOUT_MS !== undefined &&
      env.SHUTDOWN_TIMEOUT_MS > 0 &&
      env.HTTP_REQUEST_TIMEOUT_MS >= env.SHUTDOWN_TIMEOUT_MS
    )
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_REQUEST_TIMEOUT_MS'],
        message: 'HTTP_REQUEST_TIMEOUT_MS must be below SHUTDOWN_TIMEOUT_MS (a slow body must not hold a shutdown)',
      });
    if (env.NODE_ENV === 'production') {
      if (!env.JWT_SECRET)
        ctx.addIssue({
          code: 'custom',
          path: ['JWT_SECRET'],
          message: 'JWT_SECRET is required when NODE_ENV=production',
        });
      else if (env.JWT_SECRET.length < 32)
        ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'JWT_SECRET must be at least 32 characters' });
    }
  });

export type Env = z.infer<typeof envSchema>;
