import request from 'supertest';
import { PrismaService } from '../src/database/prisma.service';
import { startTestApp, type TestApp } from './support/test-app';

describe('API basics (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /api/health/live answers 200 with a request id', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number) });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const ok = await request(t.app.getHttpServer()).get('/api/health/live').set('X-Request-Id', 'trace-123');
    expect(ok.headers['x-request-id']).toBe('trace-123');
    const bad = await request(t.app.getHttpServer()).get('/api/health/live').set('X-Request-Id', 'bad id with spaces');
    expect(bad.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('answers unknown routes with the error envelope (404)', async () => {
    const res = await request(t.app.getHttpServer()).get('/nope').set('X-Request-Id', 'r-404').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String), requestId: 'r-404' });
  });

  it('answers malformed JSON with 400 in the envelope, never 500', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/anything')
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'r-json')
      .send('{bad');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST', requestId: 'r-json' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
  });

  it('answers bodies over the limit with 413', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/anything')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ blob: 'x'.repeat(200 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('sets helmet security headers', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('reaches the migrated database through @chefcloud/db', async () => {
    const prisma = t.app.get(PrismaService).client;
    await expect(prisma.maintenanceWindow.count()).resolves.toBe(0);
  });
});

describe('CORS from CORS_ORIGINS (real PostgreSQL)', () => {
  it('allows only the configured origins', async () => {
    const t = await startTestApp({ CORS_ORIGINS: 'https://backoffice.example.test' }, { seed: false });
    try {
      const allowed = await request(t.app.getHttpServer())
        .options('/auth/login')
        .set('Origin', 'https://backoffice.example.test')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,authorization');
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://backoffice.example.test');
      const refused = await request(t.app.getHttpServer())
        .options('/auth/login')
        .set('Origin', 'https://evil.example.test')
        .set('Access-Control-Request-Method', 'POST');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
