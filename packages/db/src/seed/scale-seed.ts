/**
 * Production-sized data, fast: every table is filled by one set-based `INSERT ... SELECT FROM
 * generate_series(...)` (no per-row round trips), then ANALYZEd so the planner sees the real
 * sizes. Used by `npm run bench:scale` (at 1% and 100% of PRODUCTION_SIZES) and by the query-plan
 * test (a few thousand rows: big enough that the planner prefers an index, seeded in about a second).
 *
 * The shape follows a platform a year into production: ten users per org, each with a POS
 * employee profile (an employee code and a PIN), ten sessions per user
 * spread over the past year (most long expired, about a third revoked), two flags per org with
 * their audit trails, ten maintenance windows per org (all but a few in the past, a few global
 * ones), and login-throttle rows for addresses and accounts that tried once.
 */

/** Row counts of the large tables. */
export interface ScaleSizes {
  orgs: number;
  users: number;
  sessions: number;
  flagAudits: number;
  maintenanceWindows: number;
  throttleRows: number;
}

/** The documented production size `npm run bench:scale` measures at (100%). */
export const PRODUCTION_SIZES: ScaleSizes = {
  orgs: 10_000,
  users: 100_000,
  sessions: 1_000_000,
  flagAudits: 1_000_000,
  maintenanceWindows: 100_000,
  throttleRows: 100_000,
};

/** `sizes` scaled by `fraction` (at least one row of each). */
export function scaleSizes(fraction: number, sizes: ScaleSizes = PRODUCTION_SIZES): ScaleSizes {
  const scale = (n: number) => Math.max(1, Math.round(n * fraction));
  return {
    orgs: scale(sizes.orgs),
    users: scale(sizes.users),
    sessions: scale(sizes.sessions),
    flagAudits: scale(sizes.flagAudits),
    maintenanceWindows: scale(sizes.maintenanceWindows),
    throttleRows: scale(sizes.throttleRows),
  };
}

/** Anything with node-postgres' `query(text, values)` (a pg Client or Pool). */
export interface SqlRunner {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Every seeded org, user, ... has an id with this prefix (never a cuid, so never a clash). */
export const SCALE_ID_PREFIX = 'scale-';

/**
 * Fill the large tables with `sizes` rows (on top of whatever is there). `passwordHash` is the
 * bcrypt hash every seeded user gets (`user<n>@scale.test`), `pinHash` (default: the same) the
 * POS PIN hash of their employee profile (code `SC<n>`, one per user). Returns the seconds each
 * table took.
 */
export async function seedScaleData(
  db: SqlRunner,
  sizes: ScaleSizes,
  options: { passwordHash: string; pinHash?: string },
): Promise<Record<string, number>> {
  const p = SCALE_ID_PREFIX;
  const orgOf = (n: string) => `'${p}o' || ((${n} - 1) % ${sizes.orgs} + 1)`;
  const seconds: Record<string, number> = {};
  const step = async (table: string, sql: string, values: unknown[] = []) => {
    const started = process.hrtime.bigint();
    await db.query(sql, values);
    seconds[table] = Number(process.hrtime.bigint() - started) / 1e9;
  };

  await step(
    'orgs',
    `INSERT INTO orgs (id, name, slug, created_at, updated_at)
     SELECT '${p}o' || g, 'Scale Org ' || g, '${p}org-' || g, now(), now() FROM generate_series(1, $1::int) g`,
    [sizes.orgs],
  );
  // User g belongs to org ((g-1) % orgs) + 1.
  await step(
    'users',
    `INSERT INTO users (id, org_id, email, password_hash, first_name, last_name, role_level, created_at, updated_at)
     SELECT '${p}u' || g, ${orgOf('g')}, 'user' || g || '@scale.test', $2, 'Scale', 'User ' || g,
            (ARRAY['L1','L1','L2','L3','L5']::"RoleLevel"[])[1 + g % 5], now(), now()
     FROM generate_series(1, $1::int) g`,
    [sizes.users, options.passwordHash],
  );
  // Every seeded user has a POS employee profile with a PIN, so PIN logins look codes up in a
  // table the size of the user base.
  await step(
    'employee_profiles',
    `INSERT INTO employee_profiles (id, user_id, org_id, employee_code, pin_hash, created_at, updated_at)
     SELECT '${p}e' || g, '${p}u' || g, ${orgOf('g')}, 'SC' || g, $2, now(), now()
     FROM generate_series(1, $1::int) g`,
    [sizes.users, options.pinHash ?? options.passwordHash],
  );
  // Session g belongs to user ((g-1) % users) + 1 (and that user's org); created g minutes
  // before a year ago .. now, 8 or 12 hours long; every third one revoked an hour in.
  await step(
    'sessions',
    `INSERT INTO sessions (id, user_id, org_id, jti, platform, ip, user_agent, last_activity_at, expires_at, revoked_at, created_at)
     SELECT '${p}s' || g, '${p}u' || u, ${orgOf('u')}, '${p}j' || g,
            (ARRAY['WEB_BACKOFFICE','POS_DESKTOP','MOBILE_APP','KDS_SCREEN'])[1 + g % 4],
            '10.' || (g % 250) || '.' || (g / 250 % 250) || '.1', 'scale-seed', c,
            c + CASE WHEN g % 4 IN (1, 3) THEN interval '12 hours' ELSE interval '8 hours' END,
            CASE WHEN g % 3 = 0 THEN c + interval '1 hour' END, c
     FROM (SELECT g, (g - 1) % $2::int + 1 AS u,
                  now() - (g % 525600) * interval '1 minute' AS c
           FROM generate_series(1, $1::int) g) s`,
    [sizes.sessions, sizes.users],
  );
  // Two flags per org; audit row g belongs to flag ((g-1) % (2 * orgs)) + 1, newest first.
  await step(
    'feature_flags',
    `INSERT INTO feature_flags (id, org_id, key, active, rollout_pct, created_at, updated_at)
     SELECT '${p}f' || g, ${orgOf('g')}, 'flag-' || ((g - 1) / $1::int), g % 2 = 0, g % 101, now(), now()
     FROM generate_series(1, 2 * $1::int) g`,
    [sizes.orgs],
  );
  await step(
    'flag_audits',
    `INSERT INTO flag_audits (id, org_id, flag_key, user_id, action, before, after, reason, created_at)
     SELECT '${p}a' || g, ${orgOf('f')}, 'flag-' || ((f - 1) / $2::int), NULL,
            (ARRAY['CREATE','UPDATE','TOGGLE','KILL']::"FlagAction"[])[1 + g % 4],
            jsonb_build_object('rolloutPct', g % 101), jsonb_build_object('rolloutPct', (g + 1) % 101),
            'scale seed', now() - g * interval '1 second'
     FROM (SELECT g, (g - 1) % (2 * $2::int) + 1 AS f FROM generate_series(1, $1::int) g) s`,
    [sizes.flagAudits, sizes.orgs],
  );
  // Windows: one in a thousand global; two hours long, starting up to two years ago; none
  // blocks writes now (the measured writes must pass).
  await step(
    'maintenance_windows',
    `INSERT INTO maintenance_windows (id, org_id, starts_at, ends_at, message, block_writes, created_at, updated_at)
     SELECT '${p}w' || g, CASE WHEN g % 1000 = 0 THEN NULL ELSE ${orgOf('g')} END, s, s + interval '2 hours',
            'scale seed window ' || g, false, s - interval '1 day', s - interval '1 day'
     FROM (SELECT g, now() - interval '1 day' - (g % 730) * interval '1 day' - (g % 24) * interval '1 hour' AS s
           FROM generate_series(1, $1::int) g) w`,
    [sizes.maintenanceWindows],
  );
  await step(
    'login_throttle',
    `INSERT INTO login_throttle (key, hits, window_started_at)
     SELECT CASE WHEN g % 2 = 0 THEN 'ip:192.0.' || (g / 250 % 250) || '.' || (g % 250) || '-' || g
                 ELSE 'account:' || md5('${p}' || g) END,
            1 + g % 5, now() - (g % 10080) * interval '1 minute'
     FROM generate_series(1, $1::int) g`,
    [sizes.throttleRows],
  );
  await step('analyze', 'ANALYZE');
  return seconds;
}

/**
 * The history of the measured tenant: `auditRows` audit rows of `flagKey` and `windows` past
 * maintenance windows of `orgId` (none in force). Same size at every scale: the benchmark asks
 * whether one tenant's requests slow down as the rest of the platform grows.
 */
export async function seedTenantHistory(
  db: SqlRunner,
  tenant: { orgId: string; userId: string; flagKey: string; auditRows: number; windows: number },
): Promise<void> {
  const p = SCALE_ID_PREFIX;
  await db.query(
    `INSERT INTO flag_audits (id, org_id, flag_key, user_id, action, before, after, reason, created_at)
     SELECT '${p}ta' || g, $1, $2, $3, 'UPDATE', jsonb_build_object('rolloutPct', g % 101),
            jsonb_build_object('rolloutPct', (g + 1) % 101), 'tenant history', now() - interval '1 hour' - g * interval '1 minute'
     FROM generate_series(1, $4::int) g`,
    [tenant.orgId, tenant.flagKey, tenant.userId, tenant.auditRows],
  );
  await db.query(
    `INSERT INTO maintenance_windows (id, org_id, starts_at, ends_at, message, block_writes, created_by_id, created_at, updated_at)
     SELECT '${p}tw' || g, $1, s, s + interval '1 hour', 'tenant window ' || g, true, $2, s, s
     FROM (SELECT g, now() - interval '1 day' - g * interval '6 hours' AS s FROM generate_series(1, $3::int) g) w`,
    [tenant.orgId, tenant.userId, tenant.windows],
  );
  await db.query('ANALYZE flag_audits, maintenance_windows');
}
