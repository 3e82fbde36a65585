/**
 * Secrets never leak: no password, password hash, JWT secret, access token or database password
 * appears in any response body or any log line, at the most verbose log level, across every
 * route — including failures (bad logins, validation errors, database errors).
 */
import { DEMO_PASSWORD } from '@chefcloud/db';
import { recordFigures } from './support/reliability';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

describe('secrets stay out of responses and logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'trace', PLATFORM_ADMIN_ORG_SLUG: 'demo-bistro' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('across a sweep of every route, no secret appears in a body or a log line', async () => {
    const bodies: string[] = [];
    const tokens: string[] = [];
    const wrongPassword = 'Wr0ng-but-still-secret!';
    let responses = 0;
    const keep = <R extends { text: string; headers: Record<string, string> }>(res: R): R => {
      responses++;
      bodies.push(res.text, JSON.stringify(res.headers));
      return res;
    };

    const ok = keep(await t.http.post('/auth/login').send({ email: DEMO.owner, password: DEMO_PASSWORD }).expect(200));
    const token = (ok.body as { access_token: string }).access_token;
    tokens.push(token);
    keep(await t.http.post('/auth/login').send({ email: DEMO.owner, password: wrongPassword }).expect(401));
    keep(
      await t.http.post('/auth/login').send({ email: 'nobody@demo-bistro.test', password: wrongPassword }).expect(401),
    );
    keep(await t.http.post('/auth/login').send({ email: DEMO.owner, password: wrongPassword, extra: 'x' }).expect(400));
    keep(
      await t.http
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .send(`{"email":"${DEMO.owner}","password":"${wrongPassword}"`)
        .expect(400),
    );
    const auth = { Authorization: `Bearer ${token}` };
    for (const [method, path, body] of [
      ['get', '/auth/me', undefined],
      ['get', '/auth/sessions', undefined],
      ['post', '/ops/flags', { key: 'secret-sweep', active: true }],
      ['get', '/ops/flags', undefined],
      ['get', '/ops/flags/secret-sweep', undefined],
      ['patch', '/ops/flags/secret-sweep', { rolloutPct: 50 }],
      ['get', '/ops/flags/secret-sweep/audit', undefined],
      ['get', '/ops/flags/secret-sweep/evaluate', undefined],
      ['post', '/ops/maintenance', { startsAt: '2099-01-01T00:00:00Z', endsAt: '2099-01-01T01:00:00Z', global: true }],
      ['get', '/ops/maintenance/list', undefined],
      ['get', '/ops/maintenance/active', undefined],
      ['get', '/api/health', undefined],
    ] as const) {
      const req = t.http[method](path).set(auth);
      keep(await (body ? req.send(body) : req));
    }
    // The OpenAPI document: no example carries the demo password (nor any other secret).
    const docs = (await t.http.get('/api/docs-json').expect(200)).text;
    expect(docs).not.toContain(DEMO_PASSWORD);
    bodies.push(docs);
    responses++;
    // A database error on the way (a missing table), which is logged with its details.
    await t.prisma.$executeRawUnsafe('ALTER TABLE flag_audits RENAME TO flag_audits_away');
    keep(await t.http.patch('/ops/flags/secret-sweep/toggle').set(auth).send({}).expect(503));
    await t.prisma.$executeRawUnsafe('ALTER TABLE flag_audits_away RENAME TO flag_audits');
    // Tokens that fail, and the logout paths.
    const second = (
      keep(await t.http.post('/auth/login').send({ email: DEMO.manager, password: DEMO_PASSWORD }).expect(200))
        .body as { access_token: string }
    ).access_token;
    tokens.push(second);
    keep(await t.http.get('/auth/me').set('Authorization', `Bearer ${second}x`).expect(401));
    keep(await t.http.post('/auth/logout').set('Authorization', `Bearer ${second}`).expect(204));
    keep(await t.http.get('/auth/me').set('Authorization', `Bearer ${second}`).expect(401));

    const hashes = (await t.prisma.user.findMany({ select: { passwordHash: true } })).map((u) => u.passwordHash);
    const dbPassword = decodeURIComponent(new URL(t.config.database.url).password);
    const secrets: Record<string, string> = {
      'the demo password': DEMO_PASSWORD,
      'a wrong password': wrongPassword,
      'the JWT secret': t.config.jwt.secret,
      'the database URL': t.config.database.url,
      [`the database password in a URL`]: `:${dbPassword}@`,
      ...Object.fromEntries(tokens.map((tok, i) => [`access token #${i + 1}`, tok])),
      ...Object.fromEntries(tokens.map((tok, i) => [`the signature of access token #${i + 1}`, tok.split('.')[2]])),
      ...Object.fromEntries(hashes.map((h, i) => [`password hash #${i + 1}`, h])),
    };
    const logText = t.logs.text;
    expect(t.logs.lines.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const [what, secret] of Object.entries(secrets)) {
      // Login responses carry their own access token by design: that is the only allowed place.
      const bodiesExceptOwnToken = bodies.filter(
        (b) => !(what.startsWith('access token') || what.startsWith('the signature')) || !b.includes('"access_token"'),
      );
      if (bodiesExceptOwnToken.some((b) => b.includes(secret))) leaks.push(`${what} in a response`);
      if (logText.includes(secret)) leaks.push(`${what} in the logs`);
    }
    for (const body of bodies) {
      if (/\$2[aby]\$\d\d\$/.test(body)) leaks.push('a bcrypt hash in a response');
      if (/passwordHash|password_hash/.test(body)) leaks.push('a password hash field in a response');
    }
    if (/"authorization":"Bearer/i.test(logText)) leaks.push('an Authorization header in the logs');
    recordFigures('security-secrets', {
      responsesChecked: responses,
      logLinesChecked: t.logs.lines.length,
      secretsChecked: Object.keys(secrets).length,
      leaks: leaks.length,
    });
    expect(leaks).toEqual([]);
  });
});
