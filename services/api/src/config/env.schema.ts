import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Every setting the API reads from the environment, validated once at boot. An invalid or
 * missing value stops the process with a message naming the variable (see loadConfig).
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string({ error: 'DATABASE_URL is required (a postgresql:// connection string)' })
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// connection string'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
    // Longest a query may run (server statement_timeout and client query timeout): a hung
    // database becomes a 503 after this, never a request that hangs forever.
    DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    // Readiness (/api/health) answers within this even when the database hangs (Render: 5 s).
    HEALTH_TIMEOUT_MS: z.coerce.number().int().min(100).max(4_500).default(2_000),
    JWT_SECRET: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_PRETTY: bool.optional(),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'BODY_LIMIT looks like 100kb or 1mb')
      .default('100kb'),
    CORS_ORIGINS: z.string().default(''),
    TRUST_PROXY: z.string().default('1'),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(300_000).default(25_000),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
    // Access tokens: 8 h for web and mobile sessions, 12 h for in-store devices (POS, KDS) that
    // stay signed in for a whole service.
    JWT_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(8 * 3600),
    JWT_DEVICE_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(12 * 3600),
    // How long a verified session may be served from this instance's memory before it is read
    // again (revocations on another instance take effect within this time).
    SESSION_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    // Login throttling (every environment): attempts per client IP, failures per account.
    LOGIN_THROTTLE_IP_LIMIT: z.coerce.number().int().min(1).default(20),
    LOGIN_THROTTLE_IP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    LOGIN_THROTTLE_ACCOUNT_LIMIT: z.coerce.number().int().min(1).default(5),
    LOGIN_THROTTLE_ACCOUNT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
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
    ENABLE_WRITE_BLOCK_MIDDLEWARE: bool.default(true),
    MAINTENANCE_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    FEATURE_FLAG_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    // Slug of the platform operator's org: its L5 users may manage global windows and flags.
    PLATFORM_ADMIN_ORG_SLUG: z.string().min(1).optional(),
    // Observability (README "Metrics, alerts and traces").
    METRICS_ENABLED: bool.default(true).describe('serve Prometheus metrics on GET /metrics and /ops/metrics'),
    METRICS_TOKEN: z
      .string()
      .min(16, 'METRICS_TOKEN must be at least 16 characters')
      .optional()
      .describe('bearer token a scraper must send; without one, production answers 404 on the metrics paths'),
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
