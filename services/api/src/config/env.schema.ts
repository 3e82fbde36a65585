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
    // Login throttling (every environment): failures and attempts per client IP, attempts per account.
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
    LOGIN_THROTTLE_IP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60).describe('per-IP window (seconds)'),
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
      .describe('per-account window (seconds)'),
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
      .describe('longest a login waits for a hashing slot (estimated on arrival, enforced while waiting); then 503'),
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
    // Change control: the write block during maintenance windows, and how long each instance
    // may reuse a maintenance / feature-flag lookup (changes made on the same instance apply at once).
    ENABLE_WRITE_BLOCK_MIDDLEWARE: bool.default(true),
    MAINTENANCE_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    FEATURE_FLAG_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    MAINTENANCE_MAX_OPEN_WINDOWS: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_000)
      .default(20)
      .describe('maintenance windows an org (or the platform, for global ones) may have scheduled or in force at once'),
    // Slug of the platform operator's org: its L5 users may manage global windows and flags.
    PLATFORM_ADMIN_ORG_SLUG: z.string().min(1).optional(),
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
