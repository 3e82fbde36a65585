import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcrypt';
import { Client } from 'pg';
import {
  createPrismaClient,
  DEMO_PASSWORD,
  DEMO_POS_STAFF,
  freePort,
  runPrisma,
  scaleSizes,
  seedDemoData,
  seedScaleData,
  seedTenantHistory,
  startEmbeddedDatabase,
  PRODUCTION_SIZES,
  type ScaleSizes,
} from '@chefcloud/db';
import type { LoadResult } from '../load';
import type { ScenarioFigures } from '../report';
import { machineInfo, middleOf, startApi, type ApiInstance } from '../run-bench';
import { ceilingCheck, type Check } from '../targets';
import { cursorAt, deepPosition, WALK_STEP } from './keyset-walk';
import { timedLoad, type TimedRequest } from './timed-load';

export interface ScaleOptions {
  /** Fractions of PRODUCTION_SIZES measured against each other: [small, full]. */
  fractions: [number, number];
  /** The measured tenant's own history (the same at both sizes). */
  tenant: { auditRows: number; windows: number };
  rounds: number;
  warmupSeconds: number;
  durationSeconds: number;
  connections: number;
  bcryptCost: number;
  pageSize: number;
  smoke: boolean;
  log: (line: string) => void;
}

export interface ScaleReport {
  startedAt: string;
  machine: ReturnType<typeof machineInfo>;
  settings: Omit<ScaleOptions, 'log'> & { sizes: Record<string, ScaleSizes> };
  scenarios: (ScenarioFigures & { scale: string; rounds: LoadResult[] })[];
  timings: Record<string, number>;
  checks: Check[];
  totalSeconds: number;
  notes: string[];
}

/** p99 at the full size may be at most this many times its p99 at the small size (the issue's target). */
export const P99_GROWTH_TARGET = 1.5;
/** A deep page may cost at most this many times the first page. */
export const DEEP_PAGE_TARGET = 1.5;

const TENANT_FLAG = 'bench-flag';
const WRITE_FLAG = 'bench-write';
const LOGIN_EMAIL = 'manager@demo-bistro.test';
/** The PIN-login user: the demo manager, whose POS PIN the demo seed gives. */
const PIN_STAFF = DEMO_POS_STAFF.manager;

interface Target {
  label: string;
  sizes: ScaleSizes;
  url: string;
  api?: ApiInstance;
  token?: string;
  /** The branch of the PIN-login user (the demo manager) in this database. */
  pinBranchId?: string;
  /** Query strings of the deep pages: a keyset cursor at a deep row, and the OFFSET page there. */
  deepAudit?: string;
  deepWindows?: string;
  offsetAudit?: string;
  offsetWindows?: string;
}

interface Scenario {
  name: string;
  request: (t: Target) => TimedRequest;
  /**
   * For comparison only: measured in one round at the full size, no check (the OFFSET deep
   * pages kept for the clients that page by number).
   */
  informational?: boolean;
}

function combine(rounds: LoadResult[]): LoadResult {
  return {
    requestsPerSecond: rounds.reduce((sum, r) => sum + r.requestsPerSecond, 0) / rounds.length,
    p50Ms: middleOf(rounds.map((r) => r.p50Ms)),
    p99Ms: middleOf(rounds.map((r) => r.p99Ms)),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
  };
}

const pct = (fraction: number) => `${+(fraction * 100).toPrecision(3)}%`;

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * npm run bench:scale: seed a database at each of two sizes (1% and 100% of PRODUCTION_SIZES
 * by default), start the built API on each with every cache off, and measure the hot paths on
 * both, alternating, in one run.
 */
export async function runScale(o: ScaleOptions): Promise<ScaleReport> {
  const startedAt = new Date();
  const timings: Record<string, number> = {};
  const notes: string[] = [];
  const scenarios: ScaleReport['scenarios'] = [];
  const checks: Check[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-bench-scale-'));
  fs.chmodSync(dataDir, 0o755);
  const db = await startEmbeddedDatabase({
    dataDir: path.join(dataDir, 'pg'),
    port: await freePort(),
    persistent: false,
    fast: true,
    exitOnSignals: false,
  });
  const targets: Target[] = o.fractions.map((fraction) => ({
    label: pct(fraction),
    sizes: scaleSizes(fraction),
    url: '',
  }));
  const time = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const started = process.hrtime.bigint();
    const result = await fn();
    timings[key] = Number(process.hrtime.bigint() - started) / 1e9;
    o.log(`[bench:scale] ${key}: ${timings[key].toFixed(1)} s`);
    return result;
  };

  try {
    const passwordHash = await bcrypt.hash(DEMO_PASSWORD, o.bcryptCost);
    for (const [i, target] of targets.entries()) {
      const name = `scale_${i}`;
      const admin = new Client({ connectionString: db.adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      target.url = db.urlFor(name);
      await time(`${target.label}: prisma migrate deploy (s)`, async () => {
        const result = await runPrisma(['migrate', 'deploy'], target.url);
        if (result.code !== 0) throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
      });
      const prisma = createPrismaClient({ url: target.url });
      await seedDemoData(prisma, { bcryptCost: o.bcryptCost, nodeEnv: 'development' });
      const owner = await prisma.user.findUniqueOrThrow({ where: { email: 'owner@demo-bistro.test' } });
      const pinUser = await prisma.user.findUniqueOrThrow({ where: { email: PIN_STAFF.email } });
      if (!pinUser.branchId) throw new Error(`${PIN_STAFF.email} has no branch: no PIN login to measure`);
      target.pinBranchId = pinUser.branchId;
      await prisma.$disconnect();
      const client = new Client({ connectionString: target.url });
      await client.connect();
      try {
        const seconds = await time(`${target.label}: seed (s)`, async () => {
          const perTable = await seedScaleData(client, target.sizes, { passwordHash });
          await seedTenantHistory(client, {
            orgId: owner.orgId,
            userId: owner.id,
            flagKey: TENANT_FLAG,
            auditRows: o.tenant.auditRows,
            windows: o.tenant.windows,
          });
          // The visibility map lets counts and keyset pages use index-only scans, as on a table
          // autovacuum has seen.
          await client.query('VACUUM ANALYZE');
          return perTable;
        });
        o.log(
          `[bench:scale] ${target.label}: ${Object.entries(target.sizes)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')} (${Object.entries(seconds)
            .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
            .join(', ')})`,
        );
      } finally {
        await client.end();
      }
    }

    const env = (target: Target) => ({
      DATABASE_URL: target.url,
      JWT_SECRET: 'benchmark-secret-'.padEnd(48, 'b'),
      BCRYPT_COST: String(o.bcryptCost),
      LOGIN_THROTTLE_IP_LIMIT: '100000000',
      LOGIN_THROTTLE_IP_ATTEMPT_LIMIT: '100000000',
      LOGIN_THROTTLE_ACCOUNT_LIMIT: '100000000',
      // Cold: every request reads the database.
      SESSION_CACHE_TTL_MS: '0',
      MAINTENANCE_CACHE_TTL_MS: '0',
      FEATURE_FLAG_CACHE_TTL_MS: '0',
      // The retention job would prune the seeded history while it is measured.
      RETENTION_INTERVAL_MS: '0',
    });
    for (const target of targets) {
      const api = await startApi(env(target));
      target.api = api;
      const login = await json<{ access_token: string }>(
        await fetch(`${api.url}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'owner@demo-bistro.test', password: DEMO_PASSWORD }),
        }),
        'login',
      );
      target.token = login.access_token;
      for (const key of [TENANT_FLAG, WRITE_FLAG])
        await json(
          await fetch(`${api.url}/ops/flags`, {
            method: 'POST',
            headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ key, active: true }),
          }),
          `create flag ${key}`,
        );
      // Deep keyset positions, found as a client finds them: by following rel="next" links.
      const headers = { authorization: `Bearer ${target.token}` };
      const auditRow = deepPosition(o.tenant.auditRows, o.pageSize);
      const windowRow = deepPosition(o.tenant.windows, o.pageSize);
      const auditCursor = await cursorAt(api.url, `/ops/flags/${TENANT_FLAG}/audit`, headers, auditRow, WALK_STEP);
      const windowCursor = await cursorAt(api.url, '/ops/maintenance', headers, windowRow, WALK_STEP);
      target.deepAudit = `cursor=${auditCursor}&pageSize=${o.pageSize}`;
      target.deepWindows = `cursor=${windowCursor}&pageSize=${o.pageSize}`;
      target.offsetAudit = `page=${auditRow / o.pageSize + 1}&pageSize=${o.pageSize}`;
      target.offsetWindows = `page=${windowRow / o.pageSize + 1}&pageSize=${o.pageSize}`;
    }
    const deepRows = {
      audit: deepPosition(o.tenant.auditRows, o.pageSize),
      windows: deepPosition(o.tenant.windows, o.pageSize),
    };

    const auth = (t: Target) => ({ authorization: `Bearer ${t.token}` });
    const list: Scenario[] = [
      { name: 'GET /auth/me', request: (t) => ({ method: 'GET', path: '/auth/me', headers: auth(t) }) },
      { name: 'GET /auth/sessions', request: (t) => ({ method: 'GET', path: '/auth/sessions', headers: auth(t) }) },
      {
        name: 'PATCH /ops/flags/:key (a write through the write-block check)',
        request: (t) => ({
          method: 'PATCH',
          path: `/ops/flags/${WRITE_FLAG}`,
          headers: auth(t),
          body: { rolloutPct: 50 },
        }),
      },
      {
        name: 'GET /ops/maintenance/active (banner)',
        request: (t) => ({ method: 'GET', path: '/ops/maintenance/active', headers: auth(t) }),
      },
      {
        name: 'GET /ops/flags/:key/evaluate',
        request: (t) => ({ method: 'GET', path: `/ops/flags/${TENANT_FLAG}/evaluate`, headers: auth(t) }),
      },
      {
        name: 'audit trail, first page',
        request: (t) => ({
          method: 'GET',
          path: `/ops/flags/${TENANT_FLAG}/audit?cursor=&pageSize=${o.pageSize}`,
          headers: auth(t),
        }),
      },
      {
        name: 'audit trail, deep page',
        request: (t) => ({ method: 'GET', path: `/ops/flags/${TENANT_FLAG}/audit?${t.deepAudit}`, headers: auth(t) }),
      },
      {
        name: 'audit trail, deep page by OFFSET',
        informational: true,
        request: (t) => ({ method: 'GET', path: `/ops/flags/${TENANT_FLAG}/audit?${t.offsetAudit}`, headers: auth(t) }),
      },
      {
        name: 'window list, first page',
        request: (t) => ({
          method: 'GET',
          path: `/ops/maintenance/list?cursor=&pageSize=${o.pageSize}`,
          headers: auth(t),
        }),
      },
      {
        name: 'window list, deep page',
        request: (t) => ({ method: 'GET', path: `/ops/maintenance/list?${t.deepWindows}`, headers: auth(t) }),
      },
      {
        name: 'window list, deep page by OFFSET',
        informational: true,
        request: (t) => ({ method: 'GET', path: `/ops/maintenance/list?${t.offsetWindows}`, headers: auth(t) }),
      },
      // Last: every login adds a session (of another user than the one whose sessions are listed).
      {
        name: `POST /auth/login (password, bcrypt cost ${o.bcryptCost})`,
        request: () => ({
          method: 'POST',
          path: '/auth/login',
          body: { email: LOGIN_EMAIL, password: DEMO_PASSWORD },
        }),
      },
      {
        name: `POST /auth/pin-login (POS PIN, bcrypt cost ${o.bcryptCost})`,
        request: (t) => ({
          method: 'POST',
          path: '/auth/pin-login',
          body: { branchId: t.pinBranchId, employeeCode: PIN_STAFF.employeeCode, pin: PIN_STAFF.pin },
        }),
      },
    ];

    const byScenario = new Map<string, LoadResult[]>();
    for (const scenario of list) {
      const rounds: Record<string, LoadResult[]> = {};
      const measured = scenario.informational ? [targets[1]] : targets;
      for (let round = 0; round < (scenario.informational ? 1 : o.rounds); round++) {
        // Alternate which size goes first, so a drift in the machine's load hits both alike.
        const order = round % 2 === 0 ? measured : [...measured].reverse();
        for (const target of order) {
          const base = target.api!.url;
          const run = (seconds: number) =>
            timedLoad({
              base,
              request: () => scenario.request(target),
              connections: o.connections,
              durationSeconds: seconds,
            });
          if (o.warmupSeconds > 0) await run(o.warmupSeconds);
          const result = await run(o.durationSeconds);
          if (result.non2xx || result.errors)
            throw new Error(
              `${scenario.name} at ${target.label}: ${result.non2xx} non-2xx, ${result.errors} errors — the scenario is broken, not slow`,
            );
          (rounds[target.label] ??= []).push(result);
        }
      }
      for (const target of measured) {
        const combined = combine(rounds[target.label]);
        byScenario.set(`${scenario.name}@${target.label}`, rounds[target.label]);
        scenarios.push({
          name: `${scenario.name} @ ${target.label}`,
          scale: target.label,
          ...combined,
          rounds: rounds[target.label],
        });
        o.log(
          `[bench:scale] ${scenario.name} @ ${target.label}: ${combined.requestsPerSecond.toFixed(0)} req/s, p50 ${combined.p50Ms.toFixed(2)} ms, p99 ${combined.p99Ms.toFixed(2)} ms`,
        );
      }
      if (scenario.informational) continue;
      const [small, full] = targets.map((t) => combine(rounds[t.label]));
      checks.push(
        ceilingCheck(
          `p99 at ${targets[1].label} ÷ p99 at ${targets[0].label}: ${scenario.name}`,
          full.p99Ms,
          small.p99Ms,
          P99_GROWTH_TARGET,
          `${full.p99Ms.toFixed(2)} ms ÷ ${small.p99Ms.toFixed(2)} ms (median p99 of ${o.rounds} alternated rounds of ${o.durationSeconds} s, ${o.connections} connections)`,
        ),
      );
    }
    const full = targets[1].label;
    for (const [list, row] of [
      ['audit trail', deepRows.audit],
      ['window list', deepRows.windows],
    ] as const) {
      const a = combine(byScenario.get(`${list}, first page@${full}`)!);
      const b = combine(byScenario.get(`${list}, deep page@${full}`)!);
      const offset = combine(byScenario.get(`${list}, deep page by OFFSET@${full}`)!);
      checks.push(
        ceilingCheck(
          `deep page ÷ first page at ${full} (p99): ${list}`,
          b.p99Ms,
          a.p99Ms,
          DEEP_PAGE_TARGET,
          `${b.p99Ms.toFixed(2)} ms ÷ ${a.p99Ms.toFixed(2)} ms; both by keyset cursor, the deep one at row ${row.toLocaleString('en-US')}`,
        ),
      );
      notes.push(
        `${list}: the same deep page by OFFSET (page=${row / o.pageSize + 1}, as clients paging by number get it), one round at ${full}: p99 ${offset.p99Ms.toFixed(2)} ms, ${(offset.p99Ms / a.p99Ms).toFixed(2)} × the first page (the keyset deep page: ${(b.p99Ms / a.p99Ms).toFixed(2)} ×).`,
      );
    }
  } finally {
    for (const target of targets) await target.api?.stop().catch(() => undefined);
    await db.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const { log: _log, ...settings } = o;
  void _log;
  return {
    startedAt: startedAt.toISOString(),
    machine: machineInfo(),
    settings: { ...settings, sizes: Object.fromEntries(targets.map((t) => [t.label, t.sizes])) },
    scenarios,
    timings,
    checks,
    totalSeconds: (Date.now() - startedAt.getTime()) / 1000,
    notes,
  };
}

export { PRODUCTION_SIZES };
