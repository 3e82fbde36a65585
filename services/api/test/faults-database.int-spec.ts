/**
 * Fault: the database stops while the API runs, then comes back. Readiness turns 503 within
 * 2 s, every request gets a clear 503 within the configured timeouts (never a 500, never a
 * hang), and everything recovers without restarting the API.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';
import { DEMO_PASSWORD, freePort, migrateDeploy } from '@chefcloud/db';
import { startPgProcess, type PgProcess } from './support/pg-process';
import { recordFigures } from './support/reliability';
import { DEMO, startTestApp, TEST_ENV, type TestApp } from './support/test-app';

describe('fault: the database stops and restarts under a running API', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-fault-'));
  let pg: PgProcess;
  let port: number;
  let t: TestApp;
  const statuses: number[] = [];

  const startPg = async () => {
    pg = await startPgProcess(path.join(dataDir, 'pg'), port);
  };

  beforeAll(async () => {
    fs.chmodSync(dataDir, 0o755);
    port = await freePort();
    await startPg();
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE chefcloud');
    await admin.end();
    const url = pg.urlFor('chefcloud');
    await migrateDeploy(url);
    t = await startTestApp(
      {
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        DATABASE_QUERY_TIMEOUT_MS: '3000',
        SESSION_CACHE_TTL_MS: '0',
        MAINTENANCE_CACHE_TTL_MS: '0',
        FEATURE_FLAG_CACHE_TTL_MS: '0',
      },
      { db: { name: 'chefcloud', url, adminUrl: pg.adminUrl, drop: () => Promise.resolve() } },
    );
  });
  afterAll(async () => {
    await t?.close();
    await pg?.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const timed = async <T extends { status: number }>(request: PromiseLike<T>) => {
    const started = Date.now();
    const res = await request;
    statuses.push(res.status);
    return { res, ms: Date.now() - started };
  };

  it('answers 503 quickly while the database is down and recovers by itself when it returns', async () => {
    const token = await t.login(DEMO.owner);
    await t.http
      .post('/ops/flags')
      .set('Authorization', `Bearer ${token}`)
      .send({ key: 'fault-flag', active: true })
      .expect(201);
    await t.http.get('/api/health').expect(200);

    await pg.stop();
    const downAt = Date.now();

    const health = await timed(t.http.get('/api/health'));
    expect(health.res.status).toBe(503);
    expect(health.res.body).toMatchObject({ status: 'unavailable', db: 'down' });
    expect(health.ms).toBeLessThan(2_500);

    const login = await timed(t.http.post('/auth/login').send({ email: DEMO.manager, password: DEMO_PASSWORD }));
    expect(login.res.status).toBe(503);
    expect(login.res.body).toMatchObject({
      statusCode: 503,
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringMatching(/database is unavailable/i),
      requestId: expect.any(String),
    });
    expect(login.res.headers['retry-after']).toBe('5');

    const requests = [
      t.http.get('/auth/me').set('Authorization', `Bearer ${token}`),
      t.http.get('/ops/maintenance/active').set('Authorization', `Bearer ${token}`),
      t.http.get('/ops/flags').set('Authorization', `Bearer ${token}`),
      t.http.post('/ops/flags/fault-flag/kill').set('Authorization', `Bearer ${token}`).send({}),
      t.http
        .post('/ops/maintenance')
        .set('Authorization', `Bearer ${token}`)
        .send({ startsAt: '2099-01-01T00:00:00Z', endsAt: '2099-01-01T01:00:00Z' }),
    ];
    const slowest = { ms: 0 };
    for (const request of requests) {
      const { res, ms } = await timed(request);
      expect({ status: res.status, code: (res.body as { code?: string }).code }).toEqual({
        status: 503,
        code: 'DATABASE_UNAVAILABLE',
      });
      slowest.ms = Math.max(slowest.ms, ms);
    }
    // Bounded by DATABASE_CONNECT_TIMEOUT_MS (1 s here), not hanging.
    expect(slowest.ms).toBeLessThan(3_000);
    await t.http.get('/api/health/live').expect(200);

    await startPg();
    const restartedAt = Date.now();
    let recoveredAt: number | undefined;
    while (Date.now() - restartedAt < 20_000) {
      const { res } = await timed(t.http.post('/auth/login').send({ email: DEMO.manager, password: DEMO_PASSWORD }));
      if (res.status === 200) {
        recoveredAt = Date.now();
        break;
      }
      expect(res.status).toBe(503);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(recoveredAt).toBeDefined();
    await t.http.get('/api/health').expect(200);
    await t.http.get('/ops/flags/fault-flag').set('Authorization', `Bearer ${token}`).expect(200);
    await t.http
      .post('/ops/flags/fault-flag/kill')
      .set('Authorization', `Bearer ${token}`)
      .send({ reason: 'after recovery' })
      .expect(201);

    const fiveHundreds = statuses.filter((s) => s === 500).length;
    recordFigures('fault-database-down', {
      requestsWhileDown: requests.length + 2,
      healthAnswerMs: health.ms,
      loginAnswerMs: login.ms,
      slowestAnswerWhileDownMs: slowest.ms,
      downtimeMs: restartedAt - downAt,
      recoveryAfterRestartMs: (recoveredAt ?? 0) - restartedAt,
      status500: fiveHundreds,
    });
    expect(fiveHundreds).toBe(0);
  });
});

describe('fault: the database hangs (accepts connections, never answers)', () => {
  it('answers every request with 503 within the connect timeout instead of hanging', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `postgresql://postgres:postgres@127.0.0.1:${(silent.address() as net.AddressInfo).port}/hang`;
    const app = await createApp(
      loadConfig({ ...TEST_ENV, DATABASE_URL: url, DATABASE_CONNECT_TIMEOUT_MS: '1000' }, false),
    );
    await app.init();
    try {
      const timings: number[] = [];
      for (const req of [
        () => request(app.getHttpServer()).post('/auth/login').send({ email: DEMO.owner, password: DEMO_PASSWORD }),
        () => request(app.getHttpServer()).get('/api/health'),
      ]) {
        const started = Date.now();
        const res = await req();
        timings.push(Date.now() - started);
        expect(res.status).toBe(503);
      }
      recordFigures('fault-database-hang', {
        connectTimeoutMs: 1000,
        loginAnswerMs: timings[0],
        healthAnswerMs: timings[1],
        status500: 0,
      });
      expect(Math.max(...timings)).toBeLessThan(2_500);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      await app.close();
    }
  });
});
