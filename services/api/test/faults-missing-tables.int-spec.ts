/**
 * Fault: each change-control table dropped in turn (the outage's class of failure). No route
 * may answer 500; the affected features degrade exactly as the change-control rules say, and
 * everything else keeps working.
 */
import type { Response } from 'supertest';
import { DEMO_PASSWORD } from '@chefcloud/db';
import { recordFigures } from './support/reliability';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

type Call = { name: string; run: (t: TestApp, token: string, ids: { windowId: string }) => Promise<Response> };

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Every route, with valid input. */
const CALLS: Call[] = [
  {
    name: 'POST /auth/login',
    run: (t) => t.http.post('/auth/login').send({ email: DEMO.manager, password: DEMO_PASSWORD }),
  },
  {
    name: 'POST /auth/login (wrong password)',
    run: (t) => t.http.post('/auth/login').send({ email: DEMO.manager, password: 'nope' }),
  },
  { name: 'GET /auth/me', run: (t, token) => t.http.get('/auth/me').set(bearer(token)) },
  { name: 'GET /auth/sessions', run: (t, token) => t.http.get('/auth/sessions').set(bearer(token)) },
  { name: 'POST /probe/orders (a business write)', run: (t, token) => t.http.post('/probe/orders').set(bearer(token)) },
  { name: 'GET /ops/maintenance/active', run: (t, token) => t.http.get('/ops/maintenance/active').set(bearer(token)) },
  { name: 'GET /ops/maintenance/list', run: (t, token) => t.http.get('/ops/maintenance/list').set(bearer(token)) },
  {
    name: 'GET /ops/maintenance?cursor= (keyset)',
    run: (t, token) => t.http.get('/ops/maintenance?cursor=').set(bearer(token)),
  },
  {
    name: 'POST /ops/maintenance',
    run: (t, token) =>
      t.http
        .post('/ops/maintenance')
        .set(bearer(token))
        .send({ startsAt: '2099-03-01T00:00:00Z', endsAt: '2099-03-01T01:00:00Z' }),
  },
  {
    name: 'PATCH /ops/maintenance/:id',
    run: (t, token, ids) => t.http.patch(`/ops/maintenance/${ids.windowId}`).set(bearer(token)).send({ message: 'x' }),
  },
  {
    name: 'POST /ops/maintenance/:id/end',
    run: (t, token, ids) => t.http.post(`/ops/maintenance/${ids.windowId}/end`).set(bearer(token)),
  },
  {
    name: 'POST /ops/flags',
    run: (t, token) =>
      t.http
        .post('/ops/flags')
        .set(bearer(token))
        .send({ key: `new-${Date.now()}` }),
  },
  { name: 'GET /ops/flags', run: (t, token) => t.http.get('/ops/flags').set(bearer(token)) },
  { name: 'GET /ops/flags/:key', run: (t, token) => t.http.get('/ops/flags/drop-flag').set(bearer(token)) },
  {
    name: 'PATCH /ops/flags/:key',
    run: (t, token) => t.http.patch('/ops/flags/drop-flag').set(bearer(token)).send({ rolloutPct: 40 }),
  },
  {
    name: 'PATCH /ops/flags/:key/toggle',
    run: (t, token) => t.http.patch('/ops/flags/drop-flag/toggle').set(bearer(token)).send({}),
  },
  {
    name: 'POST /ops/flags/:key/kill',
    run: (t, token) => t.http.post('/ops/flags/drop-flag/kill').set(bearer(token)).send({}),
  },
  { name: 'GET /ops/flags/:key/audit', run: (t, token) => t.http.get('/ops/flags/drop-flag/audit').set(bearer(token)) },
  {
    name: 'GET /ops/flags/:key/audit?cursor= (keyset)',
    run: (t, token) => t.http.get('/ops/flags/drop-flag/audit?cursor=').set(bearer(token)),
  },
  {
    name: 'GET /ops/flags/:key/evaluate',
    run: (t, token) => t.http.get('/ops/flags/drop-flag/evaluate').set(bearer(token)),
  },
  { name: 'GET /probe/beta (@RequireFlag)', run: (t, token) => t.http.get('/probe/beta').set(bearer(token)) },
  { name: 'POST /auth/logout-all', run: (t, token) => t.http.post('/auth/logout-all').set(bearer(token)) },
];

/** What each dropped table must do to the routes it backs (status, and code where it is an error). */
const EXPECTED: Record<string, Record<string, [number, string?]>> = {
  maintenance_windows: {
    'POST /auth/login': [200],
    'POST /probe/orders (a business write)': [201],
    'GET /ops/maintenance/active': [200],
    'POST /ops/maintenance': [503, 'SCHEMA_NOT_MIGRATED'],
    'GET /ops/maintenance/list': [503, 'SCHEMA_NOT_MIGRATED'],
    'GET /ops/maintenance?cursor= (keyset)': [503, 'SCHEMA_NOT_MIGRATED'],
    'PATCH /ops/maintenance/:id': [503, 'SCHEMA_NOT_MIGRATED'],
    'POST /ops/maintenance/:id/end': [503, 'SCHEMA_NOT_MIGRATED'],
    'PATCH /ops/flags/:key': [200],
    'GET /ops/flags/:key/evaluate': [200],
  },
  feature_flags: {
    'POST /auth/login': [200],
    'POST /probe/orders (a business write)': [201],
    'POST /ops/maintenance': [201],
    'GET /ops/flags': [503, 'SCHEMA_NOT_MIGRATED'],
    'POST /ops/flags': [503, 'SCHEMA_NOT_MIGRATED'],
    'POST /ops/flags/:key/kill': [503, 'SCHEMA_NOT_MIGRATED'],
    'GET /ops/flags/:key/evaluate': [200],
    'GET /probe/beta (@RequireFlag)': [404, 'NOT_FOUND'],
  },
  flag_audits: {
    'POST /auth/login': [200],
    'POST /probe/orders (a business write)': [201],
    'GET /ops/flags': [200],
    'GET /ops/flags/:key': [200],
    'POST /ops/flags': [503, 'SCHEMA_NOT_MIGRATED'],
    'PATCH /ops/flags/:key': [503, 'SCHEMA_NOT_MIGRATED'],
    'PATCH /ops/flags/:key/toggle': [503, 'SCHEMA_NOT_MIGRATED'],
    'POST /ops/flags/:key/kill': [503, 'SCHEMA_NOT_MIGRATED'],
    'GET /ops/flags/:key/audit': [503, 'SCHEMA_NOT_MIGRATED'],
    'GET /ops/flags/:key/audit?cursor= (keyset)': [503, 'SCHEMA_NOT_MIGRATED'],
    'GET /ops/flags/:key/evaluate': [200],
  },
};

describe('fault: a change-control table is missing', () => {
  const figures: Record<string, { calls: number; status500: number; byStatus: Record<number, number> }> = {};
  afterAll(() => {
    recordFigures('fault-missing-tables', { tables: figures });
  });

  for (const table of Object.keys(EXPECTED)) {
    it(`with ${table} dropped, no route answers 500 and the features degrade as specified`, async () => {
      const t = await startTestApp({ LOG_LEVEL: 'silent' });
      try {
        const token = await t.login(DEMO.owner);
        const window = await t.http
          .post('/ops/maintenance')
          .set(bearer(token))
          .send({ startsAt: '2099-01-01T00:00:00Z', endsAt: '2099-01-01T01:00:00Z' })
          .expect(201);
        await t.http.post('/ops/flags').set(bearer(token)).send({ key: 'drop-flag', active: true }).expect(201);
        const flagBefore = await t.prisma.featureFlag.findFirstOrThrow({ where: { key: 'drop-flag' } });
        await t.prisma.$executeRawUnsafe(`DROP TABLE "${table}" CASCADE`);
        // A fresh instance meets the missing table (no warm caches).
        const fresh = await startTestApp({ LOG_LEVEL: 'silent' }, { db: t.db, seed: false });
        try {
          const freshToken = await fresh.login(DEMO.owner);
          const seen: Record<string, Response> = {};
          for (const call of CALLS)
            seen[call.name] = await call.run(fresh, freshToken, { windowId: (window.body as { id: string }).id });
          const byStatus: Record<number, number> = {};
          for (const res of Object.values(seen)) byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
          figures[table] = {
            calls: CALLS.length,
            status500: Object.values(seen).filter((r) => r.status >= 500 && r.status !== 503).length,
            byStatus,
          };

          for (const [name, res] of Object.entries(seen)) {
            expect({ name, status: res.status >= 500 && res.status !== 503 ? res.status : 'not 5xx-other' }).toEqual({
              name,
              status: 'not 5xx-other',
            });
            if (res.status === 503)
              expect({ name, body: res.body as unknown }).toEqual({
                name,
                body: expect.objectContaining({
                  statusCode: 503,
                  code: expect.any(String),
                  requestId: expect.any(String),
                }),
              });
          }
          for (const [name, [status, code]] of Object.entries(EXPECTED[table])) {
            const res = seen[name];
            expect({
              name,
              status: res.status,
              ...(code ? { code: (res.body as { code?: string }).code } : {}),
            }).toEqual({ name, status, ...(code ? { code } : {}) });
          }
          if (table !== 'feature_flags') {
            // A failed flag change leaves the flag as it was (the audit shares its transaction).
            const flagAfter = await fresh.prisma.featureFlag.findFirstOrThrow({ where: { key: 'drop-flag' } });
            if (table === 'flag_audits') expect(flagAfter).toEqual(flagBefore);
          }
          if (table === 'maintenance_windows') expect(seen['GET /ops/maintenance/active'].body).toEqual([]);
          if (table === 'feature_flags')
            expect(seen['GET /ops/flags/:key/evaluate'].body).toMatchObject({
              enabled: false,
              reason: 'ERROR',
              errorCode: 'PROVIDER_NOT_READY',
            });
          const schema = seen[table === 'maintenance_windows' ? 'POST /ops/maintenance' : 'POST /ops/flags'].body as {
            message: string;
            details: unknown;
          };
          expect(schema.message).toContain('20251029222740_change_control');
        } finally {
          await fresh.close();
        }
      } finally {
        await t.close();
      }
    });
  }
});
