import zlib from 'node:zlib';
import request from 'supertest';
import { DEMO_PASSWORD } from '@chefcloud/db';
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

  it.each([
    [
      '400 malformed JSON',
      () => request(t.app.getHttpServer()).post('/auth/login').set('Content-Type', 'application/json').send('{bad'),
      400,
    ],
    [
      '413 body too large',
      () =>
        request(t.app.getHttpServer())
          .post('/auth/login')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ blob: 'x'.repeat(200 * 1024) })),
      413,
    ],
    [
      '415 not JSON',
      () => request(t.app.getHttpServer()).post('/auth/login').set('Content-Type', 'text/plain').send('hi'),
      415,
    ],
    ['404 unknown route', () => request(t.app.getHttpServer()).get('/nope'), 404],
  ])('sets the security headers and X-Request-Id on a %s too', async (_name, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toMatchObject({ statusCode: status, requestId: res.headers['x-request-id'] });
  });

  it('marks every /auth answer Cache-Control: no-store (tokens), errors included', async () => {
    const ok = await request(t.app.getHttpServer())
      .post('/auth/login')
      .send({ email: 'owner@demo-bistro.test', password: DEMO_PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers.pragma).toBe('no-cache');
    const refused = await request(t.app.getHttpServer())
      .post('/auth/login')
      .send({ email: 'owner@demo-bistro.test', password: 'wrong' });
    expect(refused.status).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
    const me = await request(t.app.getHttpServer()).get('/auth/me');
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['gzip', 'not gzip at all'],
    ['gzip', zlib.gzipSync(JSON.stringify({ email: 'a@b.test', password: 'x' })).subarray(0, 20)],
    ['deflate', 'not deflate either'],
    ['br', 'not brotli'],
  ])('answers a body whose Content-Encoding %s does not inflate with 400, never 500', async (encoding, body) => {
    const res = await request(t.app.getHttpServer())
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', encoding)
      .serialize((raw: Buffer) => raw as unknown as string) // as is: superagent would JSON-encode a Buffer
      .send(Buffer.from(body));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST', requestId: expect.any(String) });
    expect((res.body as { message: string }).message).toMatch(/decompressed/);
  });

  it('accepts a valid gzip body', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize((raw: Buffer) => raw as unknown as string)
      .send(zlib.gzipSync(JSON.stringify({ email: 'owner@demo-bistro.test', password: DEMO_PASSWORD })));
    expect(res.status).toBe(200);
  });

  it('reaches the migrated database through @chefcloud/db', async () => {
    const prisma = t.app.get(PrismaService).client;
    await expect(prisma.maintenanceWindow.count()).resolves.toBe(0);
  });
});

describe('API docs in production (real PostgreSQL)', () => {
  it('are off when NODE_ENV=production, and on with API_DOCS_ENABLED=true', async () => {
    const off = await startTestApp({ NODE_ENV: 'production' }, { seed: false });
    try {
      expect((await off.http.get('/api/docs')).status).toBe(404);
      expect((await off.http.get('/api/docs-json')).status).toBe(404);
    } finally {
      await off.close();
    }
    const on = await startTestApp({ NODE_ENV: 'production', API_DOCS_ENABLED: 'true' }, { seed: false });
    try {
      expect((await on.http.get('/api/docs-json')).status).toBe(200);
    } finally {
      await on.close();
    }
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
