/**
 * The login edge (src/auth/passwords/login-edge.listener.ts) answers a shed login before
 * Express, with headers computed once: that answer must be the app's own. The same envelope
 * (validated against the OpenAPI document, as every answer here is), every header the app puts
 * on its own answers on that route (security headers, CORS for an allowed origin, no-store, the
 * request id), counted in the same metrics, and logged as one summary line rather than a line each.
 */
import { mapException } from '../src/common/filters/all-exceptions.filter';
import { loginBusy } from '../src/auth/auth.service';
import { PasswordHasher } from '../src/auth/passwords/password-hasher';
import { startTestApp, type TestApp } from './support/test-app';

const ORIGIN = 'https://backoffice.chefcloud.example';
/** Headers that depend on the answer itself, not on the route: not compared. */
const PER_ANSWER = new Set([
  'date',
  'etag',
  'content-length',
  'x-request-id',
  'www-authenticate',
  'retry-after',
  'connection',
  'keep-alive',
]);

describe('the login edge: a shed login gets the app’s own answer (real PostgreSQL)', () => {
  let t: TestApp;
  let refusal: jest.SpyInstance<number | undefined>;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: ORIGIN, LOG_LEVEL: 'warn' });
    refusal = jest.spyOn(t.app.get(PasswordHasher), 'refusal');
  });
  afterEach(() => refusal.mockReset());
  afterAll(async () => {
    refusal.mockRestore();
    await t.close();
  });

  const login = (origin?: string) => {
    const req = t.http.post('/auth/login');
    if (origin) req.set('Origin', origin);
    return req.send({ email: 'nobody@nowhere.test', password: 'wrong' });
  };

  it.each([
    ['from the allowed browser origin', ORIGIN],
    ['from another origin (no CORS grant)', 'https://elsewhere.example'],
    ['from no browser (the POS, a script)', undefined],
  ])('%s: the envelope, and every header of the app’s own answer on the route', async (_case, origin) => {
    const app = await login(origin); // the app's answer: 401, through Express, Nest and the filter
    expect(app.status).toBe(401);
    refusal.mockReturnValue(7);
    const shed = await login(origin).set('X-Request-Id', 'edge-answer-1');
    expect(shed.status).toBe(503);
    expect(shed.body).toEqual({ ...mapException(loginBusy(7)).body, requestId: 'edge-answer-1' });
    expect(shed.headers['retry-after']).toBe('7');
    expect(shed.headers['x-request-id']).toBe('edge-answer-1');
    const routeHeaders = (headers: Record<string, string>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_ANSWER.has(name)));
    expect(routeHeaders(shed.headers)).toEqual(routeHeaders(app.headers));
    expect(shed.headers['cache-control']).toBe('no-store');
    expect(shed.headers['access-control-allow-origin']).toBe(origin === ORIGIN ? ORIGIN : undefined);
    // A new request id when the caller sends none (or a malformed one).
    const fresh = await login(origin).set('X-Request-Id', 'not a valid id!');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((fresh.body as { requestId: string }).requestId).toBe(fresh.headers['x-request-id']);
  });

  // Case and a trailing slash (Express routes those too) are covered by login-edge.listener.spec.ts.
  it('sheds the hashed sign-ins (with a query too), and nothing else', async () => {
    refusal.mockReturnValue(3);
    for (const path of ['/auth/login', '/auth/login?next=%2F', '/auth/pin-login'])
      expect([path, (await t.http.post(path).send({})).status]).toEqual([path, 503]);
    // Other routes and methods reach the app, whatever the hasher says.
    expect((await t.http.post('/auth/logout').send({})).status).toBe(401);
    expect((await t.http.get('/auth/login')).status).toBe(404);
    expect((await t.http.post('/auth/login/extra').send({})).status).toBe(404);
    expect((await t.http.post('/auth/msr-swipe').send({})).status).toBe(400);
  });

  it('counts every shed login (login attempts, HTTP requests) and logs one summary line per second', async () => {
    const scrape = async () => (await t.http.get('/metrics').expect(200)).text;
    const value = (text: string, series: string) =>
      Number(
        text
          .split('\n')
          .find((line) => line.startsWith(`${series} `))
          ?.split(' ')[1] ?? 0,
      );
    const SHED = 'chefcloud_login_attempts_total{method="password",outcome="shed"}';
    const HTTP = 'chefcloud_http_requests_total{method="POST",route="/auth/login",status_class="5xx"}';
    const before = await scrape();
    await new Promise((r) => setTimeout(r, 1_100)); // let the earlier tests' summary pass
    const linesBefore = t.logs.messages().filter((m) => m.includes('at the edge')).length;
    refusal.mockReturnValue(2);
    for (let i = 0; i < 5; i++) expect((await login()).status).toBe(503);
    refusal.mockReset();
    const after = await scrape();
    expect(value(after, SHED) - value(before, SHED)).toBe(5);
    expect(value(after, HTTP) - value(before, HTTP)).toBe(5);
    await new Promise((r) => setTimeout(r, 1_100));
    const summaries = t.logs.lines.filter((l) => String(l.msg).includes('at the edge')).slice(linesBefore);
    expect(summaries.map((l) => l.msg)).toEqual([
      '5 login(s) answered 503 LOGIN_BUSY at the edge in the last 1000 ms (password hashing saturated)',
    ]);
    expect(summaries[0].level).toBe(40); // warn
  });
});
