import net from 'node:net';
import request from 'supertest';
import { listShippedMigrations, migrateDeploy } from '@chefcloud/db';
import { createTestDatabase, migrateDeployBefore } from '@chefcloud/db/testing';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';
import { startTestApp, TEST_ENV } from './support/test-app';

const shipped = listShippedMigrations();
const last = shipped[shipped.length - 1];

/** An app on a database that cannot answer (no migrations, no seed: the check must not need them). */
async function appOn(databaseUrl: string, env: NodeJS.ProcessEnv = {}) {
  const app = await createApp(loadConfig({ ...TEST_ENV, ...env, DATABASE_URL: databaseUrl }, false));
  await app.init();
  return app;
}

describe('GET /api/health: readiness gated on the schema (real PostgreSQL)', () => {
  it('is 200 when every shipped migration is applied', async () => {
    const t = await startTestApp({}, { seed: false });
    try {
      const res = await t.http.get('/api/health').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        db: 'up',
        schema: { state: 'current', applied: shipped.length, latest: last, pending: [] },
        version: '0.1.0',
        uptimeSeconds: expect.any(Number),
        timestamp: expect.any(String),
        uptime: expect.any(Number),
        services: { database: 'ok' },
      });
      expect(res.headers['cache-control']).toBe('no-store');
    } finally {
      await t.close();
    }
  });

  it('is 503 naming the pending migrations while the schema is behind, and 200 once migrate deploy ran — without a restart', async () => {
    const db = await createTestDatabase({ empty: true, prefix: 'behind' });
    await migrateDeployBefore(db.url, last);
    const t = await startTestApp({}, { db, seed: false });
    try {
      const behind = await t.http.get('/api/health').expect(503);
      expect(behind.body).toMatchObject({
        status: 'unavailable',
        db: 'up',
        schema: { state: 'behind', applied: shipped.length - 1, pending: [last] },
      });
      await migrateDeploy(db.url);
      await t.http.get('/api/health').expect(200);
    } finally {
      await t.close();
      await db.drop();
    }
  });

  it('is 503 with every migration pending on a database that was never migrated', async () => {
    const db = await createTestDatabase({ empty: true, prefix: 'never' });
    const app = await appOn(db.url);
    try {
      const res = await request(app.getHttpServer()).get('/api/health').expect(503);
      expect(res.body).toMatchObject({
        status: 'unavailable',
        db: 'up',
        schema: { state: 'behind', applied: 0, latest: null, pending: shipped },
      });
      await request(app.getHttpServer()).get('/api/health/live').expect(200);
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('is 503 db down when the database refuses connections, while liveness stays 200', async () => {
    const app = await appOn('postgresql://postgres:postgres@127.0.0.1:1/none');
    try {
      const res = await request(app.getHttpServer()).get('/api/health').expect(503);
      expect(res.body).toMatchObject({
        status: 'unavailable',
        db: 'down',
        schema: { state: 'unknown', pending: [] },
        error: expect.any(String),
      });
      await request(app.getHttpServer()).get('/api/health/live').expect(200);
    } finally {
      await app.close();
    }
  });

  it('answers within 2 s when the database hangs (accepts connections, never replies)', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const app = await appOn(`postgresql://postgres:postgres@127.0.0.1:${port}/hang`, {
      DATABASE_CONNECT_TIMEOUT_MS: '30000',
    });
    try {
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        const res = await request(app.getHttpServer()).get('/api/health');
        const elapsed = Date.now() - started;
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ db: 'down', error: 'no answer from the database within 2000 ms' });
        expect(elapsed).toBeGreaterThanOrEqual(1900);
        expect(elapsed).toBeLessThan(3000);
      }
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      await app.close();
    }
  });
});
