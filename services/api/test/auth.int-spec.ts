import crypto from 'node:crypto';
import { DEMO_PASSWORD } from '@chefcloud/db';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, c] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(c, 'base64url').toString()) as Record<string, unknown>,
  };
}

/** A token signed with HS256 by hand, to forge expired / wrong-secret / altered tokens. */
function sign(
  claims: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const unsigned = `${b64url(header)}.${b64url(claims)}`;
  return `${unsigned}.${crypto.createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('auth (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SESSION_CACHE_TTL_MS: '300' });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /auth/login', () => {
    it('returns a bearer token, the user and the session', async () => {
      const res = await t.http.post('/auth/login').send({ email: DEMO.owner, password: DEMO_PASSWORD }).expect(200);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 8 * 3600,
        user: {
          id: expect.any(String),
          email: DEMO.owner,
          firstName: 'Olivia',
          lastName: 'Owner',
          roleLevel: 'L5',
          jobRole: 'OWNER',
          orgId: expect.any(String),
          branchId: expect.any(String),
        },
        session: { id: expect.any(String), platform: 'WEB_BACKOFFICE', expiresAt: expect.any(String) },
      });
      const body = res.body as { access_token: string; user: { id: string; orgId: string }; session: { id: string } };
      const { header, claims } = decode(body.access_token);
      expect(header.alg).toBe('HS256');
      expect(claims).toMatchObject({
        sub: body.user.id,
        orgId: body.user.orgId,
        roleLevel: 'L5',
        sid: body.session.id,
        sv: 0,
        jti: expect.any(String),
        iss: 'chefcloud-api',
        aud: 'chefcloud',
      });
      expect((claims.exp as number) - (claims.iat as number)).toBe(8 * 3600);
      const row = await t.prisma.session.findUniqueOrThrow({ where: { id: body.session.id } });
      expect(row).toMatchObject({ userId: body.user.id, jti: claims.jti, platform: 'WEB_BACKOFFICE', revokedAt: null });
    });

    it('accepts any case and surrounding spaces in the email', async () => {
      await t.http
        .post('/auth/login')
        .send({ email: '  Manager@Demo-Bistro.TEST ', password: DEMO_PASSWORD })
        .expect(200);
    });

    it('gives in-store devices the longer token lifetime', async () => {
      const res = await t.http
        .post('/auth/login')
        .send({ email: DEMO.waiter, password: DEMO_PASSWORD, platform: 'POS_DESKTOP' })
        .expect(200);
      expect(res.body).toMatchObject({ expires_in: 12 * 3600, session: { platform: 'POS_DESKTOP' } });
    });

    it('answers wrong password, unknown email and inactive user with the same 401', async () => {
      await t.prisma.user.update({ where: { email: DEMO.waiter }, data: { isActive: false } });
      try {
        const attempts = [
          { email: DEMO.manager, password: 'wrong-password' },
          { email: 'nobody@demo-bistro.test', password: DEMO_PASSWORD },
          { email: DEMO.waiter, password: DEMO_PASSWORD },
        ];
        const bodies = [];
        for (const attempt of attempts) {
          const res = await t.http.post('/auth/login').set('X-Request-Id', 'same').send(attempt).expect(401);
          bodies.push(res.body);
        }
        expect(bodies[0]).toEqual({
          statusCode: 401,
          code: 'INVALID_CREDENTIALS',
          message: 'Invalid email or password',
          requestId: 'same',
        });
        expect(bodies[1]).toEqual(bodies[0]);
        expect(bodies[2]).toEqual(bodies[0]);
      } finally {
        await t.prisma.user.update({ where: { email: DEMO.waiter }, data: { isActive: true } });
      }
    });

    it.each([
      ['an empty body', {}, ['email', 'password']],
      ['a malformed email', { email: 'not-an-email', password: 'x' }, ['email']],
      ['a number as password', { email: DEMO.owner, password: 12345 }, ['password']],
      ['an unknown platform', { email: DEMO.owner, password: 'x', platform: 'TOASTER' }, ['platform']],
      ['an unknown field', { email: DEMO.owner, password: 'x', orgId: 'someone-else' }, ['orgId']],
      ['an empty password', { email: DEMO.owner, password: '' }, ['password']],
    ])('rejects %s with 400 listing the fields', async (_name, body, fields) => {
      const res = await t.http.post('/auth/login').send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', requestId: expect.any(String) });
      const listed = (res.body as { details: { field: string; errors: string[] }[] }).details.map((d) => d.field);
      expect([...new Set(listed)].sort()).toEqual([...fields].sort());
    });

    it('rejects a JSON array body with 400, not 500', async () => {
      const res = await t.http.post('/auth/login').send([{ email: DEMO.owner, password: DEMO_PASSWORD }]);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    });
  });

  describe('bearer tokens and sessions', () => {
    it('GET /auth/me returns the user and the session', async () => {
      const token = await t.login(DEMO.manager);
      const res = await t.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.body).toMatchObject({
        user: { email: DEMO.manager, roleLevel: 'L4' },
        session: { id: decode(token).claims.sid, platform: 'WEB_BACKOFFICE' },
      });
    });

    it.each([
      ['no Authorization header', undefined],
      ['a non-bearer scheme', 'Basic dXNlcjpwYXNz'],
      ['garbage', 'Bearer not.a.jwt'],
    ])('answers %s with 401', async (_name, header) => {
      const req = t.http.get('/auth/me');
      if (header) void req.set('Authorization', header);
      const res = await req.expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED', requestId: expect.any(String) });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('rejects expired, tampered, alg:none, wrong-secret and wrong-issuer tokens with 401', async () => {
      const good = await t.login(DEMO.owner);
      const { claims } = decode(good);
      const now = Math.floor(Date.now() / 1000);
      const [h, c, s] = good.split('.');
      const forged = {
        expired: sign({ ...claims, iat: now - 7200, exp: now - 3600 }, t.config.jwt.secret),
        tamperedPayload: `${h}.${b64url({ ...claims, roleLevel: 'L5', orgId: 'another-org' })}.${s}`,
        tamperedSignature: `${h}.${c}.${s.slice(0, -4)}AAAA`,
        algNone: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`,
        wrongSecret: sign(claims, 'not-the-secret'.padEnd(40, 'y')),
        wrongIssuer: sign({ ...claims, iss: 'someone-else' }, t.config.jwt.secret),
        hs512: sign(claims, t.config.jwt.secret, { alg: 'HS512', typ: 'JWT' }),
      };
      for (const [name, token] of Object.entries(forged)) {
        const res = await t.http.get('/auth/me').set('Authorization', `Bearer ${token}`);
        expect({ name, status: res.status, code: (res.body as { code: string }).code }).toEqual({
          name,
          status: 401,
          code: 'UNAUTHORIZED',
        });
      }
      const expired = await t.http.get('/auth/me').set('Authorization', `Bearer ${forged.expired}`);
      expect(expired.body).toMatchObject({ message: 'The access token has expired' });
      await t.http.get('/auth/me').set('Authorization', `Bearer ${good}`).expect(200);
    });

    it('POST /auth/logout revokes the session: the same token is refused afterwards', async () => {
      const token = await t.login(DEMO.waiter);
      await t.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      await t.http.post('/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
      const res = await t.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHORIZED', message: 'The session has ended; sign in again' });
      const row = await t.prisma.session.findUniqueOrThrow({ where: { id: decode(token).claims.sid as string } });
      expect(row.revokedAt).toBeInstanceOf(Date);
    });

    it('POST /auth/logout-all revokes every session and makes every earlier token stale', async () => {
      const first = await t.login(DEMO.otherOwner, { platform: 'MOBILE_APP' });
      const second = await t.login(DEMO.otherOwner, { platform: 'KDS_SCREEN' });
      const res = await t.http.post('/auth/logout-all').set('Authorization', `Bearer ${first}`).expect(200);
      expect((res.body as { revokedSessions: number }).revokedSessions).toBeGreaterThanOrEqual(2);
      await t.http.get('/auth/me').set('Authorization', `Bearer ${first}`).expect(401);
      await t.http.get('/auth/me').set('Authorization', `Bearer ${second}`).expect(401);
      const user = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.otherOwner } });
      expect(user.sessionVersion).toBe(1);
      const fresh = await t.login(DEMO.otherOwner);
      expect(decode(fresh).claims.sv).toBe(1);
      await t.http.get('/auth/me').set('Authorization', `Bearer ${fresh}`).expect(200);
    });

    it('GET /auth/sessions lists active sessions and marks the current one', async () => {
      const a = await t.login(DEMO.manager, { platform: 'POS_DESKTOP' });
      const b = await t.login(DEMO.manager);
      await t.http.post('/auth/logout').set('Authorization', `Bearer ${a}`).expect(204);
      const res = await t.http
        .get('/auth/sessions')
        .set('Authorization', `Bearer ${b}`)
        .set('User-Agent', 'jest')
        .expect(200);
      const sessions = (res.body as { sessions: { id: string; current: boolean }[] }).sessions;
      expect(sessions.map((s) => s.id)).not.toContain(decode(a).claims.sid);
      expect(sessions.filter((s) => s.current)).toEqual([
        expect.objectContaining({ id: decode(b).claims.sid, platform: 'WEB_BACKOFFICE' }),
      ]);
    });

    it('sees a revocation made elsewhere (another instance) once the session cache expires', async () => {
      const token = await t.login(DEMO.manager);
      await t.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      await t.prisma.session.update({
        where: { id: decode(token).claims.sid as string },
        data: { revokedAt: new Date() },
      });
      await new Promise((resolve) => setTimeout(resolve, t.config.sessionCacheTtlMs + 50));
      await t.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    });

    it('refuses a token whose role no longer matches the user (demotion takes effect)', async () => {
      const token = await t.login(DEMO.waiter);
      await t.prisma.user.update({ where: { email: DEMO.waiter }, data: { roleLevel: 'L2' } });
      try {
        await new Promise((resolve) => setTimeout(resolve, t.config.sessionCacheTtlMs + 50));
        await t.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
      } finally {
        await t.prisma.user.update({ where: { email: DEMO.waiter }, data: { roleLevel: 'L1' } });
      }
    });
  });

  describe('OpenAPI', () => {
    it('serves Swagger UI at /api/docs', async () => {
      const res = await t.http.get('/api/docs').expect(200);
      expect(res.text).toMatch(/swagger-ui/i);
    });

    it('describes every auth endpoint with its error responses at /api/docs-json', async () => {
      const res = await t.http.get('/api/docs-json').expect(200);
      const doc = res.body as {
        paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
      };
      expect(doc.paths['/auth/login'].post.responses).toEqual(
        expect.objectContaining({
          '200': expect.anything(),
          '400': expect.anything(),
          '401': expect.anything(),
          '429': expect.anything(),
        }),
      );
      for (const [path, method] of [
        ['/auth/me', 'get'],
        ['/auth/logout', 'post'],
        ['/auth/logout-all', 'post'],
        ['/auth/sessions', 'get'],
      ] as const) {
        expect(doc.paths[path][method].responses).toHaveProperty('401');
        expect(doc.paths[path][method].security).toEqual([{ bearer: [] }]);
      }
      expect(JSON.stringify(doc.paths['/auth/login'])).toContain('INVALID_CREDENTIALS');
    });
  });
});
