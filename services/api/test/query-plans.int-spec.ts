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
import { DEMO_PASSWORD, DEMO_POS_STAFF, seedScaleData, seedTenantHistory } from '@chefcloud/db';
import { encodeCursor } from '../src/common/pagination/keyset-cursor';
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
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** Rows each scan node of `table` produced (EXPLAIN ANALYZE), summed. */
function rowsScanned(node: PlanNode, table: string): number {
  const own = / Scan$/.test(node['Node Type']) && node['Relation Name'] === table;
  const here = own ? (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1) : 0;
  return here + (node.Plans ?? []).reduce((sum, child) => sum + rowsScanned(child, table), 0);
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
  /** Where the statements go while `capturing` (the keyset test records its own). */
  let sink = captured;
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
          sink.set(text, { text, values: Array.isArray(params) ? params : [] });
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
    for (const table of [
      'users',
      'employee_profiles',
      'sessions',
      'flag_audits',
      'maintenance_windows',
      'login_throttle',
      'feature_flags',
    ])
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
    const pinUser = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO_POS_STAFF.manager.email } });
    await t.http
      .post('/auth/pin-login')
      .send({
        branchId: pinUser.branchId,
        employeeCode: DEMO_POS_STAFF.manager.employeeCode,
        pin: DEMO_POS_STAFF.manager.pin,
      })
      .expect(200);
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

  it('keyset pages (cursor) read an index range from the position: no OFFSET, no COUNT, no Seq Scan, as cheap deep as first', async () => {
    const token = await t.login(DEMO.owner);
    const auth = { Authorization: `Bearer ${token}` };
    const owner = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.owner } });
    // Deep positions built from the seeded data: row 1,500 of the trail, window 400 of the list.
    const [deepAudit] = await explain
      .query<{ id: string; created_at: Date }>(
        `SELECT id, created_at FROM flag_audits WHERE org_id = $1 AND flag_key = 'plan-flag'
       ORDER BY created_at DESC, id DESC OFFSET 1500 LIMIT 1`,
        [owner.orgId],
      )
      .then((r) => r.rows);
    const [deepWindow] = await explain
      .query<{ id: string; starts_at: Date }>(
        `SELECT id, starts_at FROM maintenance_windows WHERE org_id = $1 OR org_id IS NULL
       ORDER BY starts_at DESC, id DESC OFFSET 400 LIMIT 1`,
        [owner.orgId],
      )
      .then((r) => r.rows);
    const auditCursor = encodeCursor('flag-audit', { at: deepAudit.created_at, id: deepAudit.id });
    const windowCursor = encodeCursor('maintenance-window', { at: deepWindow.starts_at, id: deepWindow.id });

    const { rows: counts } = await explain.query<{ audits: number; windows: number }>(
      `SELECT (SELECT count(*)::int FROM flag_audits WHERE org_id = $1 AND flag_key = 'plan-flag') AS audits,
              (SELECT count(*)::int FROM maintenance_windows WHERE org_id = $1 OR org_id IS NULL) AS windows`,
      [owner.orgId],
    );
    const pages = [
      { url: '/ops/flags/plan-flag/audit?cursor=&pageSize=20', position: 0, total: counts[0].audits },
      { url: `/ops/flags/plan-flag/audit?cursor=${auditCursor}&pageSize=20`, position: 1500, total: counts[0].audits },
      { url: '/ops/maintenance?cursor=&pageSize=20', position: 0, total: counts[0].windows },
      { url: `/ops/maintenance/list?cursor=${windowCursor}&pageSize=20`, position: 400, total: counts[0].windows },
    ];
    for (const page of pages) {
      const statements = new Map<string, Captured>();
      sink = statements;
      capturing = true;
      try {
        await t.http.get(page.url).set(auth).expect(200);
      } finally {
        capturing = false;
        sink = captured;
      }
      const listReads = [...statements.values()].filter((c) => /\b(flag_audits|maintenance_windows)\b/.test(c.text));
      expect(listReads).toHaveLength(1);
      const { text, values } = listReads[0];
      expect(text).not.toMatch(/\bCOUNT\s*\(/i);
      // Prisma writes `LIMIT $n OFFSET $m` for any `take`; the offset it binds must be 0.
      const offset = /\bOFFSET\s+\$(\d+)/i.exec(text);
      if (offset) expect(Number(values[Number(offset[1]) - 1])).toBe(0);
      else expect(text).not.toMatch(/\bOFFSET\b/i);
      const { rows } = await explain.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
        values,
      );
      const plan = rows[0]['QUERY PLAN'][0].Plan;
      expect(seqScans(plan).filter((table) => largeTables.has(table))).toEqual([]);
      // The index range starts at the position: no row before it is read (an OFFSET page reads
      // all `position` of them), and at most the page (+1) per owner or what is left after it.
      const read = rowsScanned(plan, 'flag_audits') + rowsScanned(plan, 'maintenance_windows');
      expect(read).toBeLessThanOrEqual(Math.max(2 * 21 + 10, page.total - page.position + 1));
      if (page.position > 0) expect(read).toBeLessThan(page.position);
    }
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
