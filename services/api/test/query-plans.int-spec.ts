/**
 * Plans, not hopes: every SQL statement the API sends on a hot path is EXPLAINed against a
 * seeded database, and a sequential scan of a large table fails the test.
 *
 * How: the database gets a few thousand rows per large table (the same set-based seeder as
 * `npm run bench:scale`, in about a second), then ANALYZE. That is big enough that PostgreSQL
 * plans an index scan only when a usable index exists — without one it picks a Seq Scan, which
 * the last test proves by dropping an index — and small enough for `npm test`. No
 * `enable_seqscan = off` trick: that would hide a missing index (the planner then uses any index,
 * or a seq scan anyway at a huge cost) instead of showing the plan production would get.
 * The statements are not listed by hand: node-postgres' Client.prototype.query is wrapped while
 * the hot paths run (caches off), so what is explained is exactly what Prisma and the raw
 * queries sent, with their parameters.
 */
import bcrypt from 'bcrypt';
import pg from 'pg';
import { DEMO_PASSWORD, seedScaleData, seedTenantHistory } from '@chefcloud/db';
import { RetentionService } from '../src/retention/retention.service';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

/** A table with at least this many rows (after ANALYZE) must never be read by a Seq Scan. */
const LARGE_TABLE_ROWS = 1_000;
const SIZES = {
  orgs: 1_000,
  users: 5_000,
  sessions: 30_000,
  flagAudits: 30_000,
  maintenanceWindows: 5_000,
  throttleRows: 5_000,
};

interface Captured {
  text: string;
  values: unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function seqScans(node: PlanNode, out: string[] = []): string[] {
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) out.push(node['Relation Name']);
  for (const child of node.Plans ?? []) seqScans(child, out);
  return out;
}

describe('query plans of the hot paths on a seeded database', () => {
  let t: TestApp;
  let explain: pg.Client;
  let largeTables: Set<string>;
  const captured = new Map<string, Captured>();
  let capturing = false;
  const originalQuery = pg.Client.prototype.query;

  beforeAll(async () => {
    t = await startTestApp({
      SESSION_CACHE_TTL_MS: '0',
      MAINTENANCE_CACHE_TTL_MS: '0',
      FEATURE_FLAG_CACHE_TTL_MS: '0',
    });
    explain = new pg.Client({ connectionString: t.db.url });
    await explain.connect();
    await seedScaleData(explain, SIZES, { passwordHash: await bcrypt.hash(DEMO_PASSWORD, 4) });
    const owner = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.owner } });
    await seedTenantHistory(explain, {
      orgId: owner.orgId,
      userId: owner.id,
      flagKey: 'plan-flag',
      auditRows: 2_000,
      windows: 500,
    });
    const { rows } = await explain.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples >= $1`,
      [LARGE_TABLE_ROWS],
    );
    largeTables = new Set(rows.map((r) => r.relname));

    // Record every statement any other pg client sends (Prisma's pool, the retention job's connection).
    const wrapped = function (this: pg.Client, ...args: unknown[]) {
      const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
      if (capturing && this !== explain) {
        const text = typeof config === 'string' ? config : config?.text;
        const params = (typeof config === 'string' ? values : (config?.values ?? values)) ?? [];
        if (typeof text === 'string' && /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(text))
          captured.set(text, { text, values: Array.isArray(params) ? params : [] });
      }
      return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
    };
    pg.Client.prototype.query = wrapped as typeof pg.Client.prototype.query;
  });

  afterAll(async () => {
    pg.Client.prototype.query = originalQuery;
    await explain?.end();
    await t?.close();
  });

  it('seeds a database where the hot tables count as large', () => {
    for (const table of ['users', 'sessions', 'flag_audits', 'maintenance_windows', 'login_throttle', 'feature_flags'])
      expect(largeTables).toContain(table);
  });

  it('no hot-path statement reads a large table with a sequential scan', async () => {
    capturing = true;
    const token = await t.login(DEMO.owner);
    const auth = { Authorization: `Bearer ${token}` };
    await t.http.post('/ops/flags').set(auth).send({ key: 'plan-flag', active: true }).expect(201);
    await t.http.get('/auth/me').set(auth).expect(200);
    await t.http.get('/auth/sessions').set(auth).expect(200);
    await t.http.get('/ops/maintenance/active').set(auth).expect(200);
    await t.http.get('/ops/flags/plan-flag/evaluate').set(auth).expect(200);
    await t.http.patch('/ops/flags/plan-flag').set(auth).send({ rolloutPct: 40 }).expect(200);
    await t.http.get('/ops/flags/plan-flag/audit').set(auth).expect(200);
    await t.http.get('/ops/flags/plan-flag/audit?page=50&pageSize=20').set(auth).expect(200);
    await t.http.get('/ops/maintenance/list').set(auth).expect(200);
    await t.http.get('/ops/maintenance/list?page=20&pageSize=20').set(auth).expect(200);
    await t.http.post('/auth/logout').set(auth).expect(204);
    await t.app.get(RetentionService).runOnce();
    capturing = false;

    expect(captured.size).toBeGreaterThanOrEqual(10);
    const offenders: string[] = [];
    for (const { text, values } of captured.values()) {
      const { rows } = await explain.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (FORMAT JSON) ${text}`,
        values,
      );
      const scans = seqScans(rows[0]['QUERY PLAN'][0].Plan).filter((table) => largeTables.has(table));
      if (scans.length) offenders.push(`Seq Scan on ${scans.join(', ')}: ${text.replace(/\s+/g, ' ')}`);
    }
    expect(offenders).toEqual([]);
  });

  it('catches a missing index: without sessions_expires_at_idx the retention delete reads the whole table', async () => {
    const retentionDelete = [...captured.values()].find((c) => /ORDER BY expires_at LIMIT/.test(c.text));
    expect(retentionDelete).toBeDefined();
    const planOf = async () => {
      const { rows } = await explain.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (FORMAT JSON) ${retentionDelete!.text}`,
        retentionDelete!.values,
      );
      return seqScans(rows[0]['QUERY PLAN'][0].Plan);
    };
    expect(await planOf()).not.toContain('sessions');
    await explain.query('BEGIN');
    try {
      await explain.query('DROP INDEX sessions_expires_at_idx');
      expect(await planOf()).toContain('sessions');
    } finally {
      await explain.query('ROLLBACK');
    }
  });
});
